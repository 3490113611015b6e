package dev.jgen.kernel.widgets;

import dev.jgen.display.Interactive;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

/** How the kernel shows widgets and explorers: their view in the page, and no text the notebook would print beside them. */
public final class WidgetDisplay {
    private WidgetDisplay() {}

    /** True for the bundle of a widget view. */
    public static boolean isWidget(DisplayData data) {
        return data.getData(MIMEType.parse(Widget.VIEW_MIME)) != null;
    }

    /** The widget view of {@code value}, or null when it is neither a widget nor an {@link Interactive}. */
    public static DisplayData of(Object value) {
        if (value instanceof Widget widget) {
            return widget.displayData();
        }
        if (value instanceof Interactive interactive) {
            return Widgets.explore(interactive).displayData();
        }
        return null;
    }
}
