package dev.jgen.display;

import java.util.List;

/** Lines of text shown as a numbered list (a text data set, a text model's samples), in HTML and plain text. */
public final class TextList {
    private static final int MAX_SHOWN_CHARS = 400;

    private TextList() {}

    /** A titled list of {@code lines}, noting how many more there are when {@code total} exceeds them. */
    public static String html(String title, List<String> lines, int total) {
        StringBuilder html = new StringBuilder("<div style=\"font-family:monospace;font-size:12px\"><div><b>")
                .append(escape(title)).append("</b></div><ol style=\"margin:4px 0;padding-left:3em\">");
        for (String line : lines) {
            html.append("<li style=\"white-space:pre-wrap\">").append(escape(shortened(line))).append("</li>");
        }
        html.append("</ol>");
        if (total > lines.size()) {
            html.append(String.format("<div>... and %,d more</div>", total - lines.size()));
        }
        return html.append("</div>").toString();
    }

    /** One line per example, numbered, line breaks inside an example shown as {@code ⏎}. */
    public static String plain(List<String> lines) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            text.append(String.format("%3d  %s%n", i + 1, shortened(lines.get(i)).replace("\n", " \u23ce ")));
        }
        return text.toString();
    }

    private static String shortened(String line) {
        return line.length() <= MAX_SHOWN_CHARS ? line : line.substring(0, MAX_SHOWN_CHARS) + " ...";
    }

    /** {@code s} with HTML's special characters escaped. */
    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
