package dev.jgen.eval;

import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Multinomial logistic regression of one categorical column from the others (numbers standardised, categories
 * one-hot, a missing value its own indicator), trained by full-batch gradient descent: the yardstick of machine-
 * learning efficacy, where only the training rows differ.
 */
final class RowClassifier {
    private static final int ITERATIONS = 400;
    private static final double LEARNING_RATE = 0.5;
    private static final double L2 = 1e-3;

    private final String target;
    private final List<String> classes;
    private final List<Feature> features = new ArrayList<>();
    private final int width;
    private final double[][] weights;

    /** How one column becomes features: a standardised number, or one indicator per category; then whether it is missing. */
    private record Feature(int column, boolean numeric, double mean, double std, Map<String, Integer> categories, int offset) {}

    private RowClassifier(Table train, String target) {
        this.target = target;
        Column<?> labels = train.column(target);
        classes = new ArrayList<>(TableMetrics.shares(labels).keySet());
        int offset = 0;
        for (int c = 0; c < train.columnCount(); c++) {
            Column<?> column = train.column(c);
            if (column.name().equals(target)) {
                continue;
            }
            if (column instanceof NumericColumn<?> numeric) {
                double[] present = Arrays.stream(TableMetrics.values(numeric)).filter(v -> !Double.isNaN(v)).toArray();
                double mean = Arrays.stream(present).average().orElse(0);
                double std = Math.sqrt(Arrays.stream(present).map(v -> (v - mean) * (v - mean)).average().orElse(1));
                features.add(new Feature(c, true, mean, std > 0 ? std : 1, null, offset));
                offset += 2;
            } else {
                Map<String, Integer> categories = new LinkedHashMap<>();
                for (String category : TableMetrics.shares(column).keySet()) {
                    if (!category.equals(Marginals.MISSING)) {
                        categories.put(category, categories.size());
                    }
                }
                features.add(new Feature(c, false, 0, 1, categories, offset));
                offset += categories.size() + 1;
            }
        }
        width = offset + 1;
        weights = new double[classes.size()][width];
    }

    /** A classifier of {@code target} trained on {@code train}. */
    static RowClassifier train(Table train, String target) {
        RowClassifier model = new RowClassifier(train, target);
        model.fit(model.design(train), model.labels(train));
        return model;
    }

    /** Macro-averaged F1 of its predictions over the classes of {@code test} (a class it never saw scores 0). */
    double macroF1(Table test) {
        double[][] x = design(test);
        Column<?> column = test.column(target);
        String[] predicted = new String[x.length];
        for (int i = 0; i < x.length; i++) {
            predicted[i] = classes.get(argmax(scores(x[i])));
        }
        List<String> testClasses = new ArrayList<>(TableMetrics.shares(column).keySet());
        double total = 0;
        for (String cls : testClasses) {
            int tp = 0;
            int fp = 0;
            int fn = 0;
            for (int i = 0; i < x.length; i++) {
                boolean truth = cls.equals(column.isMissing(i) ? Marginals.MISSING : column.getString(i));
                boolean guess = cls.equals(predicted[i]);
                tp += truth && guess ? 1 : 0;
                fp += !truth && guess ? 1 : 0;
                fn += truth && !guess ? 1 : 0;
            }
            total += tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
        }
        return total / testClasses.size();
    }

    private void fit(double[][] x, int[] y) {
        int k = classes.size();
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            double[][] gradient = new double[k][width];
            for (int i = 0; i < x.length; i++) {
                double[] p = softmax(scores(x[i]));
                for (int cls = 0; cls < k; cls++) {
                    double error = p[cls] - (y[i] == cls ? 1 : 0);
                    for (int f = 0; f < width; f++) {
                        gradient[cls][f] += error * x[i][f];
                    }
                }
            }
            for (int cls = 0; cls < k; cls++) {
                for (int f = 0; f < width; f++) {
                    weights[cls][f] -= LEARNING_RATE * (gradient[cls][f] / x.length + L2 * weights[cls][f]);
                }
            }
        }
    }

    private double[][] design(Table table) {
        double[][] x = new double[table.rowCount()][width];
        for (Feature feature : features) {
            Column<?> column = table.column(feature.column());
            for (int r = 0; r < x.length; r++) {
                if (column.isMissing(r)) {
                    x[r][feature.offset() + (feature.numeric() ? 1 : feature.categories().size())] = 1;
                } else if (feature.numeric()) {
                    x[r][feature.offset()] = (((NumericColumn<?>) column).getDouble(r) - feature.mean()) / feature.std();
                } else {
                    Integer index = feature.categories().get(column.getString(r));
                    if (index != null) {
                        x[r][feature.offset() + index] = 1;
                    }
                }
            }
        }
        for (double[] row : x) {
            row[width - 1] = 1;
        }
        return x;
    }

    private int[] labels(Table table) {
        Column<?> column = table.column(target);
        int[] labels = new int[table.rowCount()];
        for (int r = 0; r < labels.length; r++) {
            labels[r] = classes.indexOf(column.isMissing(r) ? Marginals.MISSING : column.getString(r));
        }
        return labels;
    }

    private double[] scores(double[] x) {
        double[] s = new double[classes.size()];
        for (int cls = 0; cls < s.length; cls++) {
            double sum = 0;
            for (int f = 0; f < width; f++) {
                sum += weights[cls][f] * x[f];
            }
            s[cls] = sum;
        }
        return s;
    }

    private static double[] softmax(double[] s) {
        double max = Arrays.stream(s).max().orElse(0);
        double[] p = new double[s.length];
        double total = 0;
        for (int i = 0; i < s.length; i++) {
            p[i] = Math.exp(s[i] - max);
            total += p[i];
        }
        for (int i = 0; i < s.length; i++) {
            p[i] /= total;
        }
        return p;
    }

    private static int argmax(double[] s) {
        int best = 0;
        for (int i = 1; i < s.length; i++) {
            if (s[i] > s[best]) {
                best = i;
            }
        }
        return best;
    }
}
