package dev.jgen.eval;

import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The measures behind a {@link TableReport}, each a number in [0, 1] where 1 means "the same" (SDMetrics' names):
 * how alike two columns' distributions are, two pairs' trends, and how far rows are from their nearest neighbour.
 */
final class TableMetrics {
    /** Numeric columns are cut into this many bins (at the real column's quantiles) to compare with categories. */
    static final int BINS = 10;

    private TableMetrics() {}

    /** Each category's share of the rows, missing values as one more category. */
    static Map<String, Double> shares(Column<?> column) {
        Map<String, Double> shares = new LinkedHashMap<>();
        for (int r = 0; r < column.size(); r++) {
            shares.merge(column.isMissing(r) ? Marginals.MISSING : column.getString(r), 1.0 / column.size(), Double::sum);
        }
        return shares;
    }

    /** 1 - the Kolmogorov-Smirnov statistic of the present values (1 when both have none, 0 when one has none). */
    static double ksComplement(double[] real, double[] synthetic) {
        double[] a = present(real);
        double[] b = present(synthetic);
        if (a.length == 0 || b.length == 0) {
            return a.length == b.length ? 1 : 0;
        }
        return 1 - new KolmogorovSmirnovTest().kolmogorovSmirnovStatistic(a, b);
    }

    /** 1 - the total-variation distance between two category distributions. */
    static double tvComplement(Map<String, Double> real, Map<String, Double> synthetic) {
        Set<String> categories = new HashSet<>(real.keySet());
        categories.addAll(synthetic.keySet());
        double distance = 0;
        for (String c : categories) {
            distance += Math.abs(real.getOrDefault(c, 0.0) - synthetic.getOrDefault(c, 0.0));
        }
        return 1 - distance / 2;
    }

    /** Pearson's correlation over the rows where both are present; NaN when either is constant there. */
    static double correlation(double[] x, double[] y) {
        List<double[]> pairs = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) {
                pairs.add(new double[] {x[i], y[i]});
            }
        }
        if (pairs.size() < 3) {
            return Double.NaN;
        }
        double[] a = pairs.stream().mapToDouble(p -> p[0]).toArray();
        double[] b = pairs.stream().mapToDouble(p -> p[1]).toArray();
        return new PearsonsCorrelation().correlation(a, b);
    }

    /** 1 - |difference of correlations| / 2; NaN when either correlation is undefined. */
    static double correlationSimilarity(double realCorrelation, double syntheticCorrelation) {
        return 1 - Math.abs(realCorrelation - syntheticCorrelation) / 2;
    }

    /** 1 - the total-variation distance between the joint distributions of two discrete columns. */
    static double contingencySimilarity(String[] realA, String[] realB, String[] syntheticA, String[] syntheticB) {
        return tvComplement(joint(realA, realB), joint(syntheticA, syntheticB));
    }

    private static Map<String, Double> joint(String[] a, String[] b) {
        Map<String, Double> shares = new HashMap<>();
        for (int i = 0; i < a.length; i++) {
            shares.merge(a[i] + "\u0000" + b[i], 1.0 / a.length, Double::sum);
        }
        return shares;
    }

    /** A column's values as categories: numbers by which of the real column's {@link #BINS} quantile bins they fall in. */
    static String[] discrete(Column<?> column, double[] cuts) {
        String[] out = new String[column.size()];
        for (int r = 0; r < out.length; r++) {
            if (column.isMissing(r)) {
                out[r] = Marginals.MISSING;
            } else if (cuts != null) {
                double v = ((NumericColumn<?>) column).getDouble(r);
                int bin = 0;
                while (bin < cuts.length && v > cuts[bin]) {
                    bin++;
                }
                out[r] = "bin " + bin;
            } else {
                out[r] = column.getString(r);
            }
        }
        return out;
    }

    /** The inner quantile cuts of a numeric column's present values. */
    static double[] cuts(NumericColumn<?> column) {
        double[] values = present(values(column));
        Arrays.sort(values);
        double[] cuts = new double[BINS - 1];
        for (int b = 1; b < BINS; b++) {
            cuts[b - 1] = values.length == 0 ? 0 : values[Math.min(values.length - 1, (int) Math.floor(b * values.length / (double) BINS))];
        }
        return cuts;
    }

    static double[] values(NumericColumn<?> column) {
        double[] values = new double[column.size()];
        for (int r = 0; r < values.length; r++) {
            values[r] = column.isMissing(r) ? Double.NaN : column.getDouble(r);
        }
        return values;
    }

    private static double[] present(double[] values) {
        return Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
    }

    /**
     * For each row of {@code rows}, the distance to its closest row of {@code reference} (Gower's: per column, the
     * absolute difference over the reference column's range for numbers, 0 or 1 for categories and for missing
     * against present, averaged over the columns): 0 is an exact copy.
     */
    static double[] distancesToClosest(Table rows, Table reference) {
        int d = reference.columnCount();
        double[][] a = new double[d][];
        double[][] b = new double[d][];
        double[] ranges = new double[d];
        boolean[] numeric = new boolean[d];
        for (int c = 0; c < d; c++) {
            Column<?> ref = reference.column(c);
            numeric[c] = ref instanceof NumericColumn<?>;
            if (numeric[c]) {
                b[c] = values((NumericColumn<?>) ref);
                a[c] = values((NumericColumn<?>) rows.column(c));
                double[] present = present(b[c]);
                double range = present.length == 0 ? 0 : Arrays.stream(present).max().orElse(0) - Arrays.stream(present).min().orElse(0);
                ranges[c] = range > 0 ? range : 1;
            } else {
                Map<String, Integer> ids = new HashMap<>();
                b[c] = codes(ref, ids);
                a[c] = codes(rows.column(c), ids);
            }
        }
        double[] closest = new double[rows.rowCount()];
        for (int i = 0; i < closest.length; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < reference.rowCount() && best > 0; j++) {
                double distance = 0;
                for (int c = 0; c < d && distance < best * d; c++) {
                    distance += cellDistance(a[c][i], b[c][j], numeric[c], ranges[c]);
                }
                best = Math.min(best, distance / d);
            }
            closest[i] = best;
        }
        return closest;
    }

    private static double cellDistance(double x, double y, boolean numeric, double range) {
        boolean xMissing = Double.isNaN(x);
        boolean yMissing = Double.isNaN(y);
        if (xMissing || yMissing) {
            return xMissing == yMissing ? 0 : 1;
        }
        return numeric ? Math.min(1, Math.abs(x - y) / range) : x == y ? 0 : 1;
    }

    /** Categories as numbers shared through {@code ids}; missing as NaN. */
    private static double[] codes(Column<?> column, Map<String, Integer> ids) {
        double[] codes = new double[column.size()];
        for (int r = 0; r < codes.length; r++) {
            codes[r] = column.isMissing(r) ? Double.NaN : ids.computeIfAbsent(column.getString(r), k -> ids.size());
        }
        return codes;
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** The share of {@code values} that are 0. */
    static double shareOfZeros(double[] values) {
        return values.length == 0 ? Double.NaN : Arrays.stream(values).filter(v -> v == 0).count() / (double) values.length;
    }
}
