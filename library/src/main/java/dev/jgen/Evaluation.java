package dev.jgen;

import dev.jgen.display.Renderable;
import dev.jgen.display.Rendered;
import dev.jgen.display.TextList;
import dev.jgen.plot.Samples;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An evaluation card: one row per model and a last row for real data (the floor no model beats), by metric
 * name in lower case ("fcd", "kid", "precision", "recall", "mmd", "elbo", ...). Renders as a table with notes,
 * and for a comparison with each model's samples side by side.
 */
public final class Evaluation implements Renderable {
    /** The name of the row that compares real data with real data. */
    public static final String REAL_DATA = "real data (floor)";

    private static final List<String> ORDER = List.of("fcd", "kid", "kid_std", "precision", "recall", "mmd", "elbo", "iwae",
            "log_likelihood", "bits_per_dim", "sample_ms", "parameters", "train_s");

    /** One model's (or the real data's) metrics, and the samples they were measured on. */
    record Row(String name, Map<String, Double> metrics, Samples samples) {}

    private final String title;
    private final List<Row> rows;
    private final List<String> notes;

    Evaluation(String title, List<Row> rows, List<String> notes) {
        this.title = title;
        this.rows = List.copyOf(rows);
        this.notes = List.copyOf(notes);
    }

    /** A metric of the first model, e.g. {@code card.get("fcd")}; NaN where the family does not define it. */
    public double get(String metric) {
        return get(rows.get(0).name(), metric);
    }

    /** A metric of the row named {@code row} (a model's name as the table shows it, or {@link #REAL_DATA}). */
    public double get(String row, String metric) {
        for (Row r : rows) {
            if (r.name().equals(row)) {
                if (!metrics().contains(metric)) {
                    throw new IllegalArgumentException("no metric '" + metric + "' on this card; it has " + metrics());
                }
                return r.metrics().getOrDefault(metric, Double.NaN);
            }
        }
        throw new IllegalArgumentException("no row '" + row + "' on this card; its rows are " + rowNames());
    }

    /** The real data's value of a metric: the floor. */
    public double floor(String metric) {
        return get(REAL_DATA, metric);
    }

    public List<String> rowNames() {
        return rows.stream().map(Row::name).toList();
    }

    /** Every metric some row has: sample quality, then likelihoods, then costs. */
    public List<String> metrics() {
        Set<String> present = new LinkedHashSet<>();
        rows.forEach(r -> present.addAll(r.metrics().keySet()));
        List<String> ordered = new ArrayList<>(ORDER);
        ordered.retainAll(present);
        present.stream().filter(name -> !ORDER.contains(name)).forEach(ordered::add);
        return ordered;
    }

    /** What the numbers mean here: the features used, the sample sizes, caveats. */
    public List<String> notes() {
        return notes;
    }

    /** The card as a Tablesaw table: a "model" column, then one column per metric. */
    public Table table() {
        Table table = Table.create(title);
        table.addColumns(StringColumn.create("model", rowNames()));
        for (String metric : metrics()) {
            double[] values = rows.stream().mapToDouble(r -> r.metrics().getOrDefault(metric, Double.NaN)).toArray();
            table.addColumns(DoubleColumn.create(metric, values));
        }
        return table;
    }

    @Override
    public Rendered render() {
        StringBuilder html = new StringBuilder("<div><b>").append(TextList.escape(title)).append("</b><table><tr><th>model</th>");
        List<String> metrics = metrics();
        metrics.forEach(m -> html.append("<th>").append(TextList.escape(m)).append("</th>"));
        html.append("</tr>");
        for (Row r : rows) {
            html.append("<tr><td>").append(TextList.escape(r.name())).append("</td>");
            for (String m : metrics) {
                html.append("<td style=\"text-align:right\">").append(format(r.metrics().getOrDefault(m, Double.NaN))).append("</td>");
            }
            html.append("</tr>");
        }
        html.append("</table>");
        notes.forEach(n -> html.append("<div style=\"font-size:smaller\">").append(TextList.escape(n)).append("</div>"));
        List<Row> withSamples = rows.stream().filter(r -> r.samples() != null && r.samples().isImages()).toList();
        if (withSamples.size() > 1) {
            html.append("<div style=\"display:flex;gap:12px;flex-wrap:wrap\">");
            for (Row r : withSamples) {
                html.append("<figure style=\"margin:0\"><img src=\"data:image/png;base64,")
                        .append(Base64.getEncoder().encodeToString(r.samples().png())).append("\"/><figcaption>")
                        .append(TextList.escape(r.name())).append("</figcaption></figure>");
            }
            html.append("</div>");
        }
        return Rendered.html(html.append("</div>").toString(), toString());
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(title).append('\n');
        List<String> metrics = metrics();
        text.append(String.format("%-20s", "model"));
        metrics.forEach(m -> text.append(String.format(" %" + columnWidth(m) + "s", m)));
        text.append('\n');
        for (Row r : rows) {
            text.append(String.format("%-20s", r.name()));
            metrics.forEach(m -> text.append(String.format(" %" + columnWidth(m) + "s", format(r.metrics().getOrDefault(m, Double.NaN)))));
            text.append('\n');
        }
        notes.forEach(n -> text.append(n).append('\n'));
        return text.toString();
    }

    private static int columnWidth(String metric) {
        return Math.max(10, metric.length());
    }

    /** Four significant digits; blank for metrics a row does not have. */
    private static String format(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format("%,d", (long) v);
        }
        return String.format("%.4g", v);
    }
}
