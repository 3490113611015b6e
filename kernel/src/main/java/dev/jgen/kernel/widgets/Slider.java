package dev.jgen.kernel.widgets;

import com.google.gson.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleConsumer;

/** A horizontal slider of numbers: {@code Widgets.slider("z1", -3, 3, 0.1, 0).onChange(v -> ...)}. */
public final class Slider extends Widget {
    private final String description;
    private final List<DoubleConsumer> listeners = new CopyOnWriteArrayList<>();
    private volatile double value;

    Slider(String description, double min, double max, double step, double value) {
        super("FloatSlider", Map.ofEntries(Map.entry("_range", false), Map.entry("continuous_update", true),
                Map.entry("description", description), Map.entry("disabled", false), Map.entry("max", max), Map.entry("min", min),
                Map.entry("orientation", "horizontal"), Map.entry("readout", true), Map.entry("readout_format", ".2f"),
                Map.entry("step", step), Map.entry("value", value)));
        this.description = description;
        this.value = value;
    }

    public double value() {
        return value;
    }

    /** Moves the slider in the page (its listeners run as if the user had moved it). */
    public Slider value(double newValue) {
        value = newValue;
        set("value", newValue);
        listeners.forEach(l -> l.accept(newValue));
        return this;
    }

    /** Runs {@code listener} with the new value whenever the slider moves. */
    public Slider onChange(DoubleConsumer listener) {
        listeners.add(listener);
        return this;
    }

    @Override
    void changed(JsonObject state) {
        if (state.has("value")) {
            value = state.get("value").getAsDouble();
            listeners.forEach(l -> l.accept(value));
        }
    }

    @Override
    public String toString() {
        return "Slider " + description + " = " + value;
    }
}
