package dev.jgen.kernel.widgets;

import java.util.List;
import java.util.Map;

/** Widgets side by side ({@code Widgets.hbox}) or one above the other ({@code Widgets.vbox}). */
public final class Box extends Widget {
    private final List<Widget> children;
    private final boolean horizontal;

    Box(boolean horizontal, List<Widget> children) {
        super(horizontal ? "HBox" : "VBox", Map.of("box_style", "", "children", references(children)));
        this.children = List.copyOf(children);
        this.horizontal = horizontal;
    }

    public List<Widget> children() {
        return children;
    }

    @Override
    public String toString() {
        return (horizontal ? "HBox" : "VBox") + " of " + children.size();
    }
}
