package dev.jgen.kernel.widgets;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A widget with a value the user changes in the page (a slider's number, a dropdown's choice). */
public abstract class ValueWidget<T, W extends ValueWidget<T, W>> extends Widget {
    private final List<Consumer<T>> listeners = new CopyOnWriteArrayList<>();
    private volatile T value;

    ValueWidget(String name, Map<String, Object> state, T value) {
        super(name, state);
        this.value = value;
    }

    /** The value as the user left it. */
    public T value() {
        return value;
    }

    /** Runs {@code listener} with the new value whenever the user changes it. */
    public W onChange(Consumer<T> listener) {
        listeners.add(listener);
        return self();
    }

    /** Sets the value in the page; the listeners run as if the user had changed it. */
    void changeTo(T newValue) {
        value = newValue;
        set("value", newValue);
        listeners.forEach(l -> l.accept(newValue));
    }

    abstract T parse(JsonElement json);

    abstract W self();

    @Override
    void changed(JsonObject state) {
        if (state.has("value")) {
            value = parse(state.get("value"));
            listeners.forEach(l -> l.accept(value));
        }
    }
}
