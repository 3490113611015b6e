package dev.jgen;

import dev.jgen.display.Renderable;
import dev.jgen.display.Rendered;
import dev.jgen.display.TextList;

import java.util.ArrayList;
import java.util.List;

/** What {@link Doctor#check()} found: one line per check, and for each failed one what to do. */
public final class HealthReport implements Renderable {
    /** One check: what was looked at, whether it is fine, what was found, and what to do when it is not. */
    public record Line(String check, boolean ok, String found, String todo) {
        public static Line ok(String check, String found) {
            return new Line(check, true, found, "");
        }

        public static Line failed(String check, String found, String todo) {
            return new Line(check, false, found, todo);
        }
    }

    private final List<Line> lines;

    HealthReport(List<Line> lines) {
        this.lines = List.copyOf(lines);
    }

    public List<Line> lines() {
        return lines;
    }

    /** True when every check passed. */
    public boolean healthy() {
        return lines.stream().allMatch(Line::ok);
    }

    /** This report with more lines (the kernel adds its own). */
    public HealthReport with(Line... more) {
        List<Line> all = new ArrayList<>(lines);
        all.addAll(List.of(more));
        return new HealthReport(all);
    }

    @Override
    public Rendered render() {
        StringBuilder html = new StringBuilder("<table><thead><tr><th></th><th style=\"text-align:left\">check</th>"
                + "<th style=\"text-align:left\">found</th><th style=\"text-align:left\">what to do</th></tr></thead><tbody>");
        for (Line line : lines) {
            html.append("<tr><td style=\"color:").append(line.ok() ? "#2a7d2a\">&#10003;" : "#c0392b\">&#10007;").append("</td><td style=\"text-align:left\">")
                    .append(TextList.escape(line.check())).append("</td><td style=\"text-align:left\">").append(TextList.escape(line.found()))
                    .append("</td><td style=\"text-align:left\"><code>").append(TextList.escape(line.todo())).append("</code></td></tr>");
        }
        html.append("</tbody></table>");
        return Rendered.html(html.toString(), toString());
    }

    @Override
    public String toString() {
        int width = lines.stream().mapToInt(l -> l.check().length()).max().orElse(0);
        StringBuilder text = new StringBuilder(healthy() ? "healthy\n" : "needs attention\n");
        for (Line line : lines) {
            text.append(line.ok() ? "  ok   " : "  FAIL ").append(String.format("%-" + width + "s  ", line.check())).append(line.found());
            if (!line.ok()) {
                text.append("\n").append(" ".repeat(width + 9)).append("-> ").append(line.todo());
            }
            text.append('\n');
        }
        return text.toString();
    }
}
