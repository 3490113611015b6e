package dev.jgen.kernel.widgets;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One widget: a model in the notebook page kept in step with this object over a comm. Show it by making it a
 * cell's value or with {@code display(widget)}; {@link Widgets} makes them.
 */
public abstract class Widget {
    static final String VIEW_MIME = "application/vnd.jupyter.widget-view+json";
    private static final Gson GSON = new Gson();

    private final WidgetComms comms;
    private final String id;

    /** Opens the model {@code name}Model (view {@code name}View) with {@code state}, and a layout of its own. */
    Widget(String name, Map<String, Object> state) {
        this(name, state, true);
    }

    Widget(String name, Map<String, Object> state, boolean visible) {
        this.comms = WidgetComms.current();
        Map<String, Object> all = new LinkedHashMap<>();
        if (visible) {
            all.put("_dom_classes", List.of());
            all.put("layout", reference(comms, layout(comms)));
        }
        all.putAll(state);
        this.id = comms.open(model(name, all), this::receive);
    }

    /** The model id the page knows this widget by. */
    public String id() {
        return id;
    }

    /** Sends a new value of one state field to the page. */
    void set(String field, Object value) {
        JsonObject state = new JsonObject();
        state.add(field, json(value));
        JsonObject update = new JsonObject();
        update.addProperty("method", "update");
        update.add("state", state);
        comms.send(id, update);
    }

    /** A state change the user made in the page; the callbacks it triggers run on the cell thread. */
    void changed(JsonObject state) {
    }

    /** A message of the widget's own (a button's click). */
    void custom(JsonObject content) {
    }

    private void receive(JsonObject data) {
        String method = data.has("method") ? data.get("method").getAsString() : "";
        if (method.equals("backbone") && data.has("sync_data")) {
            comms.callback(() -> changed(data.getAsJsonObject("sync_data")));
        } else if (method.equals("custom") && data.has("content")) {
            comms.callback(() -> custom(data.getAsJsonObject("content")));
        }
    }

    /** What Jupyter shows for this widget: the view of its model (the page draws it after the "display" message). */
    DisplayData displayData() {
        JsonObject display = new JsonObject();
        display.addProperty("method", "display");
        comms.send(id, display);
        DisplayData data = new DisplayData();
        data.putData(VIEW_MIME, Map.of("model_id", id, "version_major", 2, "version_minor", 0));
        return data;
    }

    WidgetComms comms() {
        return comms;
    }

    static String reference(WidgetComms comms, String modelId) {
        return "IPY_MODEL_" + modelId;
    }

    static String reference(Widget widget) {
        return reference(widget.comms, widget.id);
    }

    /** A style model (buttons); its id for the widget's {@code style} field. */
    static String style(WidgetComms comms, String name, Map<String, Object> state) {
        Map<String, Object> all = new LinkedHashMap<>(state);
        JsonObject model = model(name, all);
        model.addProperty("_view_name", "StyleView");
        return comms.open(model, data -> { });
    }

    private static String layout(WidgetComms comms) {
        Map<String, Object> state = new LinkedHashMap<>();
        for (String field : List.of("align_content", "align_items", "align_self", "border", "bottom", "display", "flex", "flex_flow",
                "height", "justify_content", "left", "margin", "max_height", "max_width", "min_height", "min_width", "order", "overflow",
                "overflow_x", "overflow_y", "padding", "right", "top", "visibility", "width")) {
            state.put(field, null);
        }
        return comms.open(model("Layout", state), data -> { });
    }

    private static JsonObject model(String name, Map<String, Object> state) {
        JsonObject model = new JsonObject();
        model.addProperty("_model_module", WidgetComms.MODULE);
        model.addProperty("_model_module_version", WidgetComms.MODULE_VERSION);
        model.addProperty("_model_name", name + "Model");
        model.addProperty("_view_module", WidgetComms.MODULE);
        model.addProperty("_view_module_version", WidgetComms.MODULE_VERSION);
        model.addProperty("_view_name", name + "View");
        model.addProperty("msg_throttle", 1);
        state.forEach((field, value) -> model.add(field, json(value)));
        return model;
    }

    static JsonElement json(Object value) {
        return value == null ? JsonNull.INSTANCE : GSON.toJsonTree(value);
    }

    static JsonArray references(List<? extends Widget> widgets) {
        JsonArray refs = new JsonArray();
        widgets.forEach(w -> refs.add(reference(w)));
        return refs;
    }
}
