package dev.jgen.kernel.widgets;

import com.google.gson.JsonElement;

import java.util.List;
import java.util.Map;

/** A choice among labels: {@code Widgets.dropdown("sampler", "ddpm", "ddim").onChange(s -> ...)}. */
public final class Dropdown extends ValueWidget<String, Dropdown> {
    private final String description;
    private final List<String> options;

    Dropdown(String description, List<String> options) {
        super("Dropdown", Map.of("_options_labels", options, "description", description, "disabled", false, "value", options.get(0)),
                options.get(0));
        this.description = description;
        this.options = List.copyOf(options);
    }

    public List<String> options() {
        return options;
    }

    /** Chooses {@code option} in the page (its listeners run as if the user had chosen it). */
    public Dropdown value(String option) {
        if (!options.contains(option)) {
            throw new IllegalArgumentException(description + " offers " + options + ", not '" + option + "'");
        }
        changeTo(option);
        return this;
    }

    @Override
    String parse(JsonElement json) {
        return json.getAsString();
    }

    @Override
    Dropdown self() {
        return this;
    }

    @Override
    public String toString() {
        return "Dropdown " + description + " = " + value() + " of " + options;
    }
}
