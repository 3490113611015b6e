package dev.jgen.eval;

import dev.jgen.display.HtmlTable;
import dev.jgen.display.Renderable;
import dev.jgen.display.Rendered;
import dev.jgen.display.TextList;
import dev.jgen.plot.Charts;
import dev.jgen.plot.Figure;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How synthetic rows compare with real ones: {@code Evaluate.tables(train, synthetic).holdout(test).target("class")}.
 * Quality: column shapes (1 - Kolmogorov-Smirnov for numbers, 1 - total variation for categories), column pair
 * trends (correlation similarity between numbers, contingency similarity otherwise, numbers in decile bins) and
 * their mean. With held-out real rows, privacy: each row's distance to the closest training row, synthetic
 * against held-out (a generator that copies has smaller ones), and the share of exact copies; and machine-
 * learning efficacy: a classifier of the target trained on synthetic rows, tested on held-out rows, against one
 * trained on the real rows. Renders as tables and plots; {@code get("quality")} and friends give the numbers.
 */
public final class TableReport implements Renderable {
    private static final int TABLE_ROWS = 40;
    private static final Map<String, String> MEANINGS = new LinkedHashMap<>();

    static {
        MEANINGS.put("quality", "mean of column shapes and pair trends (1 = indistinguishable)");
        MEANINGS.put("column_shapes", "mean over columns: 1 - KS (numbers) or 1 - total variation (categories)");
        MEANINGS.put("pair_trends", "mean over column pairs: correlation or contingency similarity");
        MEANINGS.put("dcr_synthetic", "median distance from a synthetic row to the closest training row (0..1)");
        MEANINGS.put("dcr_holdout", "the same for held-out real rows: synthetic rows much closer than this are copies");
        MEANINGS.put("exact_copies", "share of synthetic rows identical to a training row");
        MEANINGS.put("exact_copies_holdout", "share of held-out real rows identical to a training row (the natural rate)");
        MEANINGS.put("efficacy_real", "macro F1 on held-out rows of a classifier trained on the real rows");
        MEANINGS.put("efficacy_synthetic", "macro F1 on held-out rows of the same classifier trained on synthetic rows");
    }

    private final Table real;
    private final Table synthetic;
    private final Table holdout;
    private final String target;
    private Map<String, Double> metrics;
    private Table columnShapes;
    private Table pairTrends;

    public TableReport(Table real, Table synthetic) {
        this(real, aligned(real, synthetic, "synthetic"), null, defaultTarget(real));
    }

    private TableReport(Table real, Table synthetic, Table holdout, String target) {
        this.real = real;
        this.synthetic = synthetic;
        this.holdout = holdout;
        this.target = target;
    }

    /** The same report with held-out real rows (never trained on), which privacy and efficacy need. */
    public TableReport holdout(Table rows) {
        return new TableReport(real, synthetic, aligned(real, rows, "holdout"), target);
    }

    /** The same report with {@code column} (categorical) as the classifiers' target; the last categorical column by default. */
    public TableReport target(String column) {
        if (!real.columnNames().contains(column)) {
            throw new IllegalArgumentException("target: there is no column \"" + column + "\"; the columns are " + real.columnNames());
        }
        if (real.column(column) instanceof NumericColumn<?>) {
            throw new IllegalArgumentException("target: \"" + column + "\" holds numbers; efficacy classifies a categorical column");
        }
        return new TableReport(real, synthetic, holdout, column);
    }

    private static Table aligned(Table real, Table other, String role) {
        if (!other.columnNames().containsAll(real.columnNames())) {
            List<String> lacking = new ArrayList<>(real.columnNames());
            lacking.removeAll(other.columnNames());
            throw new IllegalArgumentException("the " + role + " rows lack the columns " + lacking + " of the real table");
        }
        for (String name : real.columnNames()) {
            boolean numeric = real.column(name) instanceof NumericColumn<?>;
            if (numeric != other.column(name) instanceof NumericColumn<?>) {
                throw new IllegalArgumentException("column \"" + name + "\" holds " + (numeric ? "numbers" : "categories")
                        + " in the real table and not in the " + role + " rows");
            }
        }
        return other.selectColumns(real.columnNames().toArray(String[]::new));
    }

    private static String defaultTarget(Table real) {
        String chosen = null;
        for (Column<?> column : real.columns()) {
            if (!(column instanceof NumericColumn<?>)) {
                chosen = column.name();
            }
        }
        return chosen;
    }

    /** A metric by name (see {@link #table()}); NaN for privacy and efficacy without held-out rows. */
    public double get(String metric) {
        Double value = metrics().get(metric);
        if (value == null) {
            throw new IllegalArgumentException("no metric \"" + metric + "\"; the report has " + metrics().keySet());
        }
        return value;
    }

    /** Every metric, what it means. */
    public Table table() {
        Map<String, Double> all = metrics();
        return Table.create("table report").addColumns(StringColumn.create("metric", all.keySet()),
                DoubleColumn.create("value", all.values().stream().mapToDouble(Double::doubleValue)),
                StringColumn.create("meaning", all.keySet().stream().map(MEANINGS::get).toList()));
    }

    /**
     * Several reports' metrics side by side, one column per report under its name (e.g. {@code Map.of("TVAE", a,
     * "copula", b)}; a LinkedHashMap keeps your order): how models of the same table compare.
     */
    public static Table sideBySide(Map<String, TableReport> reports) {
        if (reports.isEmpty()) {
            throw new IllegalArgumentException("sideBySide needs at least one report");
        }
        List<String> metrics = new ArrayList<>(reports.values().iterator().next().metrics().keySet());
        Table table = Table.create("table reports").addColumns(StringColumn.create("metric", metrics));
        reports.forEach((name, report) -> table.addColumns(DoubleColumn.create(name, metrics.stream().mapToDouble(report::get))));
        return table.addColumns(StringColumn.create("meaning", metrics.stream().map(MEANINGS::get).toList()));
    }

    /** Per column: its measure, score, and the share of missing values in real and synthetic rows. */
    public Table columnShapes() {
        metrics();
        return columnShapes;
    }

    /** Per pair of columns: its measure, the real and synthetic correlations (numbers only), and the score. */
    public Table pairTrends() {
        metrics();
        return pairTrends;
    }

    private synchronized Map<String, Double> metrics() {
        if (metrics != null) {
            return metrics;
        }
        Map<String, Double> m = new LinkedHashMap<>();
        computeShapes();
        computeTrends();
        double shapes = columnShapes.doubleColumn("score").mean();
        double trends = pairTrends.rowCount() == 0 ? shapes : pairTrends.doubleColumn("score").removeMissing().mean();
        m.put("quality", (shapes + trends) / 2);
        m.put("column_shapes", shapes);
        m.put("pair_trends", trends);
        if (holdout == null) {
            for (String name : List.of("dcr_synthetic", "dcr_holdout", "exact_copies", "exact_copies_holdout", "efficacy_real", "efficacy_synthetic")) {
                m.put(name, Double.NaN);
            }
        } else {
            double[] syntheticDistances = TableMetrics.distancesToClosest(synthetic, real);
            double[] holdoutDistances = TableMetrics.distancesToClosest(holdout, real);
            m.put("dcr_synthetic", TableMetrics.median(syntheticDistances));
            m.put("dcr_holdout", TableMetrics.median(holdoutDistances));
            m.put("exact_copies", TableMetrics.shareOfZeros(syntheticDistances));
            m.put("exact_copies_holdout", TableMetrics.shareOfZeros(holdoutDistances));
            boolean classifiable = target != null;
            m.put("efficacy_real", classifiable ? RowClassifier.train(real, target).macroF1(holdout) : Double.NaN);
            m.put("efficacy_synthetic", classifiable ? RowClassifier.train(synthetic, target).macroF1(holdout) : Double.NaN);
        }
        metrics = m;
        return m;
    }

    private void computeShapes() {
        StringColumn names = StringColumn.create("column");
        StringColumn measures = StringColumn.create("measure");
        DoubleColumn scores = DoubleColumn.create("score");
        DoubleColumn realMissing = DoubleColumn.create("missing_real");
        DoubleColumn syntheticMissing = DoubleColumn.create("missing_synthetic");
        for (Column<?> column : real.columns()) {
            Column<?> other = synthetic.column(column.name());
            names.append(column.name());
            if (column instanceof NumericColumn<?> numeric) {
                measures.append("KS complement");
                scores.append(TableMetrics.ksComplement(TableMetrics.values(numeric), TableMetrics.values((NumericColumn<?>) other)));
            } else {
                measures.append("TV complement");
                scores.append(TableMetrics.tvComplement(TableMetrics.shares(column), TableMetrics.shares(other)));
            }
            realMissing.append(column.countMissing() / (double) Math.max(1, column.size()));
            syntheticMissing.append(other.countMissing() / (double) Math.max(1, other.size()));
        }
        columnShapes = Table.create("column shapes").addColumns(names, measures, scores, realMissing, syntheticMissing);
    }

    private void computeTrends() {
        StringColumn first = StringColumn.create("column_a");
        StringColumn second = StringColumn.create("column_b");
        StringColumn measures = StringColumn.create("measure");
        DoubleColumn realCorrelations = DoubleColumn.create("real");
        DoubleColumn syntheticCorrelations = DoubleColumn.create("synthetic");
        DoubleColumn scores = DoubleColumn.create("score");
        int d = real.columnCount();
        String[][] realDiscrete = new String[d][];
        String[][] syntheticDiscrete = new String[d][];
        for (int c = 0; c < d; c++) {
            double[] cuts = real.column(c) instanceof NumericColumn<?> numeric ? TableMetrics.cuts(numeric) : null;
            realDiscrete[c] = TableMetrics.discrete(real.column(c), cuts);
            syntheticDiscrete[c] = TableMetrics.discrete(synthetic.column(c), cuts);
        }
        for (int a = 0; a < d; a++) {
            for (int b = a + 1; b < d; b++) {
                first.append(real.column(a).name());
                second.append(real.column(b).name());
                if (real.column(a) instanceof NumericColumn<?> x && real.column(b) instanceof NumericColumn<?> y) {
                    double r = TableMetrics.correlation(TableMetrics.values(x), TableMetrics.values(y));
                    double s = TableMetrics.correlation(TableMetrics.values((NumericColumn<?>) synthetic.column(a)),
                            TableMetrics.values((NumericColumn<?>) synthetic.column(b)));
                    measures.append("correlation similarity");
                    realCorrelations.append(r);
                    syntheticCorrelations.append(s);
                    scores.append(Double.isNaN(r) || Double.isNaN(s)
                            ? TableMetrics.contingencySimilarity(realDiscrete[a], realDiscrete[b], syntheticDiscrete[a], syntheticDiscrete[b])
                            : TableMetrics.correlationSimilarity(r, s));
                } else {
                    measures.append("contingency similarity");
                    realCorrelations.appendMissing();
                    syntheticCorrelations.appendMissing();
                    scores.append(TableMetrics.contingencySimilarity(realDiscrete[a], realDiscrete[b], syntheticDiscrete[a], syntheticDiscrete[b]));
                }
            }
        }
        pairTrends = Table.create("column pair trends").addColumns(first, second, measures, realCorrelations, syntheticCorrelations, scores);
    }

    /** Each column's distribution in real and synthetic rows, overlaid. */
    public List<Figure> marginals() {
        List<Figure> figures = new ArrayList<>();
        for (Column<?> column : real.columns()) {
            figures.add(Marginals.of(column, synthetic.column(column.name())));
        }
        return figures;
    }

    /** One column's distribution in real and synthetic rows. */
    public Figure marginal(String column) {
        if (!real.columnNames().contains(column)) {
            throw new IllegalArgumentException("there is no column \"" + column + "\"; the columns are " + real.columnNames());
        }
        return Marginals.of(real.column(column), synthetic.column(column));
    }

    /** The numeric columns' correlation matrices: the real rows', then the synthetic rows'. */
    public List<Figure> correlations() {
        List<String> names = new ArrayList<>();
        for (Column<?> column : real.columns()) {
            if (column instanceof NumericColumn<?>) {
                names.add(column.name());
            }
        }
        return List.of(Charts.correlations("real", names, correlationMatrix(real, names)),
                Charts.correlations("synthetic", names, correlationMatrix(synthetic, names)));
    }

    private static double[][] correlationMatrix(Table table, List<String> names) {
        double[][] matrix = new double[names.size()][names.size()];
        for (int i = 0; i < names.size(); i++) {
            for (int j = 0; j < names.size(); j++) {
                matrix[i][j] = i == j ? 1 : TableMetrics.correlation(TableMetrics.values((NumericColumn<?>) table.column(names.get(i))),
                        TableMetrics.values((NumericColumn<?>) table.column(names.get(j))));
            }
        }
        return matrix;
    }

    @Override
    public Rendered render() {
        StringBuilder html = new StringBuilder("<div><b>Synthetic ").append(TextList.escape(real.name())).append(": ")
                .append(String.format("%,d synthetic rows against %,d real", synthetic.rowCount(), real.rowCount()))
                .append(holdout == null ? "" : String.format(" and %,d held out", holdout.rowCount())).append("</b>");
        html.append(HtmlTable.of(table(), TABLE_ROWS));
        if (holdout == null) {
            html.append("<div style=\"font-size:smaller\">Privacy and efficacy need held-out real rows: .holdout(testRows).</div>");
        } else if (target != null) {
            html.append("<div style=\"font-size:smaller\">Efficacy classifies \"").append(TextList.escape(target))
                    .append("\"; .target(column) picks another.</div>");
        }
        html.append("<details><summary>column shapes</summary>").append(HtmlTable.of(columnShapes(), TABLE_ROWS)).append("</details>");
        html.append("<div style=\"display:flex;gap:8px;flex-wrap:wrap\">");
        if (real.columns().stream().filter(c -> c instanceof NumericColumn<?>).count() >= 2) {
            for (Figure figure : correlations()) {
                html.append(image(figure.png(), 300));
            }
        }
        html.append("</div><div style=\"display:flex;gap:4px;flex-wrap:wrap\">");
        for (Figure figure : marginals()) {
            html.append(image(figure.png(), 240));
        }
        html.append("</div></div>");
        return Rendered.html(html.toString(), toString());
    }

    private static String image(byte[] png, int width) {
        return "<img style=\"width:" + width + "px\" src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png) + "\"/>";
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("Table report for " + real.name() + ":");
        metrics().forEach((name, value) -> text.append(String.format("%n  %-21s %.4f", name, value)));
        return text.toString();
    }
}
