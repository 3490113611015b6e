package dev.jgen.kernel.widgets;

import com.google.gson.JsonElement;

import java.util.Map;

/** A horizontal slider of numbers: {@code Widgets.slider("z1", -3, 3, 0.1, 0).onChange(v -> ...)}. */
public final class Slider extends ValueWidget<Double, Slider> {
    private final String description;

    Slider(String description, double min, double max, double step, double value) {
        super("FloatSlider", Map.ofEntries(Map.entry("_range", false), Map.entry("continuous_update", true),
                Map.entry("description", description), Map.entry("disabled", false), Map.entry("max", max), Map.entry("min", min),
                Map.entry("orientation", "horizontal"), Map.entry("readout", true), Map.entry("readout_format", ".2f"),
                Map.entry("step", step), Map.entry("value", value)), value);
        this.description = description;
    }

    /** Moves the slider in the page (its listeners run as if the user had moved it). */
    public Slider value(double newValue) {
        changeTo(newValue);
        return this;
    }

    @Override
    Double parse(JsonElement json) {
        return json.getAsDouble();
    }

    @Override
    Slider self() {
        return this;
    }

    @Override
    public String toString() {
        return "Slider " + description + " = " + value();
    }
}
