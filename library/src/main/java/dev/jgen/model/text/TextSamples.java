package dev.jgen.model.text;

import dev.jgen.display.Renderable;
import dev.jgen.display.Rendered;
import dev.jgen.display.TextList;

import java.util.List;

/** Generated lines of text: a numbered list in the notebook, {@link #list()} in code. */
public final class TextSamples implements Renderable {
    private final String title;
    private final List<String> lines;

    TextSamples(String title, List<String> lines) {
        this.title = title;
        this.lines = List.copyOf(lines);
    }

    public List<String> list() {
        return lines;
    }

    public String get(int i) {
        return lines.get(i);
    }

    public int size() {
        return lines.size();
    }

    @Override
    public Rendered render() {
        return Rendered.html(TextList.html(title, lines, lines.size()), toString());
    }

    @Override
    public String toString() {
        return title + "\n" + TextList.plain(lines);
    }
}
