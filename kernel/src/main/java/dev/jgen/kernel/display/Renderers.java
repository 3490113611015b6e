package dev.jgen.kernel.display;

import ai.djl.ndarray.NDArray;
import dev.jgen.display.HtmlTable;
import dev.jgen.display.Renderable;
import dev.jgen.display.Rendered;
import dev.jgen.kernel.widgets.WidgetDisplay;
import dev.jgen.plot.Figure;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.Table;

import java.util.Base64;
import java.util.Map;

/** How jgen objects, charts, tables and arrays become Jupyter MIME bundles. */
public final class Renderers {
    private static final int TABLE_ROWS_SHOWN = 20;

    private Renderers() {}

    public static void registerAll(Renderer renderer) {
        renderer.createRegistration(Renderable.class)
                .preferring(MIMEType.IMAGE_PNG, MIMEType.TEXT_HTML)
                .supporting(MIMEType.TEXT_PLAIN)
                .register((value, context) -> putAll(value.render(), context.getOutputContainer()));
        renderer.createRegistration(Chart.class)
                .preferring(MIMEType.IMAGE_PNG)
                .supporting(MIMEType.TEXT_PLAIN)
                .register((chart, context) -> putAll(new Figure(chart).render(), context.getOutputContainer()));
        renderer.createRegistration(Table.class)
                .preferring(MIMEType.TEXT_HTML)
                .supporting(MIMEType.TEXT_PLAIN)
                .register((table, context) -> putAll(Rendered.html(HtmlTable.of(table, TABLE_ROWS_SHOWN),
                        table.printAll()), context.getOutputContainer()));
        renderer.createRegistration(NDArray.class)
                .preferring(MIMEType.TEXT_PLAIN)
                .register((array, context) -> context.getOutputContainer().putText(array.toString()));
    }

    /** The bundle for any value: widgets and explorers as live widgets, jgen's own views, then the protocol base's renderers. */
    public static DisplayData render(Renderer renderer, Object value) {
        if (value instanceof DisplayData data) {
            return data;
        }
        DisplayData widget = WidgetDisplay.of(value);
        return widget != null ? widget : renderer.render(value);
    }

    static void putAll(Rendered rendered, DisplayData out) {
        for (Map.Entry<String, Object> e : rendered.data().entrySet()) {
            Object content = e.getValue();
            out.putData(e.getKey(), content instanceof byte[] bytes ? Base64.getEncoder().encodeToString(bytes) : content);
        }
    }
}
