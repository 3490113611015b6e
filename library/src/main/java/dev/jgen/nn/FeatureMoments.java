package dev.jgen.nn;

/**
 * The mean and (population) standard deviation of each feature of rows of {@code features} values, for
 * layers and models that start from the data's scale (ActNorm's initialisation, standardised points).
 */
public record FeatureMoments(double[] mean, double[] std) {
    public static FeatureMoments of(float[] rows, int features) {
        int n = rows.length / features;
        double[] mean = new double[features];
        double[] std = new double[features];
        for (int f = 0; f < features; f++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += rows[i * features + f];
            }
            mean[f] = sum / n;
            double squares = 0;
            for (int i = 0; i < n; i++) {
                double d = rows[i * features + f] - mean[f];
                squares += d * d;
            }
            std[f] = Math.sqrt(squares / n);
        }
        return new FeatureMoments(mean, std);
    }
}
