package dev.jgen.kernel.widgets;

import com.google.gson.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A choice among labels: {@code Widgets.dropdown("sampler", "ddpm", "ddim").onChange(s -> ...)}. */
public final class Dropdown extends Widget {
    private final String description;
    private final List<String> options;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private volatile String value;

    Dropdown(String description, List<String> options) {
        super("Dropdown", Map.of("_options_labels", options, "description", description, "disabled", false, "value", options.get(0)));
        this.description = description;
        this.options = List.copyOf(options);
        this.value = options.get(0);
    }

    public String value() {
        return value;
    }

    public List<String> options() {
        return options;
    }

    /** Runs {@code listener} with the chosen label whenever the choice changes. */
    public Dropdown onChange(Consumer<String> listener) {
        listeners.add(listener);
        return this;
    }

    @Override
    void changed(JsonObject state) {
        if (state.has("value")) {
            value = state.get("value").getAsString();
            listeners.forEach(l -> l.accept(value));
        }
    }

    @Override
    public String toString() {
        return "Dropdown " + description + " = " + value + " of " + options;
    }
}
