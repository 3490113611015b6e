package dev.jgen.model.tabular;

import java.util.Arrays;

/**
 * A one-dimensional Gaussian mixture fitted by expectation-maximisation: the modes of a numeric column, so a
 * value is coded as which mode it belongs to and where it sits within it (Xu et al. 2019, mode-specific
 * normalisation). The number of modes is the one of least Bayesian information criterion (the paper's
 * variational mixture also lets the data choose); modes that end up with almost no weight are dropped.
 */
record ModeMixture(double[] means, double[] stds, double[] weights) {
    private static final int ITERATIONS = 100;
    private static final double MIN_WEIGHT = 0.005;
    /** The narrowest a mode may get, as a share of the column's range: a column of whole numbers has spikes. */
    private static final double MIN_STD_SHARE = 1e-3;

    /** Worse criteria in a row after which larger mixtures are not tried. */
    private static final int PATIENCE = 2;

    static ModeMixture fit(double[] values, int maxModes) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int distinct = (int) Arrays.stream(sorted).distinct().count();
        ModeMixture best = null;
        double bestCriterion = Double.POSITIVE_INFINITY;
        int worse = 0;
        for (int k = 1; k <= Math.max(1, Math.min(maxModes, distinct)) && worse < PATIENCE; k++) {
            ModeMixture mixture = fit(values, sorted, k);
            double criterion = -2 * mixture.logLikelihood(values) + (3.0 * k - 1) * Math.log(values.length);
            if (criterion < bestCriterion) {
                best = mixture;
                bestCriterion = criterion;
                worse = 0;
            } else {
                worse++;
            }
        }
        return pruned(best.means, best.stds, best.weights);
    }

    private double logLikelihood(double[] values) {
        double total = 0;
        for (double x : values) {
            double density = 0;
            for (int j = 0; j < means.length; j++) {
                double z = (x - means[j]) / stds[j];
                density += weights[j] * Math.exp(-0.5 * z * z) / (stds[j] * Math.sqrt(2 * Math.PI));
            }
            total += Math.log(Math.max(density, Double.MIN_NORMAL));
        }
        return total;
    }

    private static ModeMixture fit(double[] values, double[] sorted, int k) {
        double range = sorted[sorted.length - 1] - sorted[0];
        double floor = Math.max(MIN_STD_SHARE * range, 1e-6 * Math.max(1, Math.abs(sorted[0])));
        double[] means = new double[k];
        double[] stds = new double[k];
        double[] weights = new double[k];
        for (int j = 0; j < k; j++) {
            means[j] = sorted[(int) ((j + 0.5) / k * (sorted.length - 1))];
            stds[j] = Math.max(floor, range / (2.0 * k));
            weights[j] = 1.0 / k;
        }
        double[][] responsibility = new double[k][values.length];
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            for (int i = 0; i < values.length; i++) {
                double[] p = posterior(values[i], means, stds, weights);
                for (int j = 0; j < k; j++) {
                    responsibility[j][i] = p[j];
                }
            }
            for (int j = 0; j < k; j++) {
                double total = 0;
                double sum = 0;
                for (int i = 0; i < values.length; i++) {
                    total += responsibility[j][i];
                    sum += responsibility[j][i] * values[i];
                }
                if (total < 1e-9) {
                    weights[j] = 0;
                    continue;
                }
                means[j] = sum / total;
                double squares = 0;
                for (int i = 0; i < values.length; i++) {
                    double d = values[i] - means[j];
                    squares += responsibility[j][i] * d * d;
                }
                stds[j] = Math.max(floor, Math.sqrt(squares / total));
                weights[j] = total / values.length;
            }
        }
        return new ModeMixture(means, stds, weights);
    }

    private static ModeMixture pruned(double[] means, double[] stds, double[] weights) {
        int kept = 0;
        double total = 0;
        for (double w : weights) {
            if (w >= MIN_WEIGHT) {
                kept++;
                total += w;
            }
        }
        double[] m = new double[kept];
        double[] s = new double[kept];
        double[] w = new double[kept];
        for (int j = 0, out = 0; j < weights.length; j++) {
            if (weights[j] >= MIN_WEIGHT) {
                m[out] = means[j];
                s[out] = stds[j];
                w[out++] = weights[j] / total;
            }
        }
        return new ModeMixture(m, s, w);
    }

    int size() {
        return means.length;
    }

    /** How likely each mode is to have produced {@code x}. */
    double[] posterior(double x) {
        return posterior(x, means, stds, weights);
    }

    private static double[] posterior(double x, double[] means, double[] stds, double[] weights) {
        int k = means.length;
        double[] logs = new double[k];
        double best = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            double z = (x - means[j]) / stds[j];
            logs[j] = weights[j] > 0 ? Math.log(weights[j]) - Math.log(stds[j]) - 0.5 * z * z : Double.NEGATIVE_INFINITY;
            best = Math.max(best, logs[j]);
        }
        double[] p = new double[k];
        double total = 0;
        for (int j = 0; j < k; j++) {
            p[j] = Math.exp(logs[j] - best);
            total += p[j];
        }
        for (int j = 0; j < k; j++) {
            p[j] /= total;
        }
        return p;
    }
}
