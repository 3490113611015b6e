package dev.jgen.kernel.widgets;

import com.google.gson.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A push button: {@code Widgets.button("new samples").onClick(() -> ...)}. */
public final class Button extends Widget {
    private final String description;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    Button(WidgetComms comms, String description) {
        super("Button", Map.of("button_style", "", "description", description, "disabled", false, "icon", "", "tooltip", "",
                "style", reference(comms, style(comms, "ButtonStyle", Map.of("font_weight", "")))));
        this.description = description;
    }

    /** Runs {@code listener} at every click. */
    public Button onClick(Runnable listener) {
        listeners.add(listener);
        return this;
    }

    /** Clicks it from code, as the user would. */
    public void click() {
        listeners.forEach(Runnable::run);
    }

    @Override
    void custom(JsonObject content) {
        if (content.has("event") && content.get("event").getAsString().equals("click")) {
            click();
        }
    }

    @Override
    public String toString() {
        return "Button " + description;
    }
}
