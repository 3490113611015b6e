package dev.jgen.eval;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Improved precision and recall (Kynkäänniemi et al., 2019). Each set's manifold is the union of balls
 * around its points reaching their k-th nearest neighbour; precision is the share of generated points
 * inside the real manifold (are samples realistic?), recall the share of real points inside the generated
 * one (is every kind of real example produced?).
 */
public record PrecisionRecall(double precision, double recall) {
    /** k = 3, the paper's choice. */
    public static final int NEIGHBOURS = 3;

    public static PrecisionRecall of(float[] real, float[] generated, int dim) {
        return of(real, generated, dim, NEIGHBOURS);
    }

    /** Features as rows of {@code dim}. */
    public static PrecisionRecall of(float[] real, float[] generated, int dim, int k) {
        double[] realRadii = kthNeighbourDistances(real, dim, k);
        double[] generatedRadii = kthNeighbourDistances(generated, dim, k);
        return new PrecisionRecall(coverage(generated, real, realRadii, dim), coverage(real, generated, generatedRadii, dim));
    }

    /** The share of {@code points} within the radius of some point of {@code manifold} (rows in parallel). */
    private static double coverage(float[] points, float[] manifold, double[] radii, int dim) {
        int n = points.length / dim;
        int m = manifold.length / dim;
        long inside = IntStream.range(0, n).parallel()
                .filter(i -> IntStream.range(0, m).anyMatch(j -> squaredDistance(points, i, manifold, j, dim) <= radii[j]))
                .count();
        return inside / (double) n;
    }

    /** Each point's squared distance to its k-th nearest other point (rows in parallel). */
    private static double[] kthNeighbourDistances(float[] points, int dim, int k) {
        int n = points.length / dim;
        if (n <= k) {
            throw new IllegalArgumentException("precision and recall need more than " + k + " examples on each side, got " + n);
        }
        double[] radii = new double[n];
        IntStream.range(0, n).parallel().forEach(i -> {
            double[] distances = new double[n];
            for (int j = 0; j < n; j++) {
                distances[j] = squaredDistance(points, i, points, j, dim);
            }
            Arrays.sort(distances);
            radii[i] = distances[k]; // distances[0] is the point itself
        });
        return radii;
    }

    private static double squaredDistance(float[] x, int i, float[] y, int j, int dim) {
        double sum = 0;
        int xi = i * dim;
        int yj = j * dim;
        for (int f = 0; f < dim; f++) {
            double d = x[xi + f] - y[yj + f];
            sum += d * d;
        }
        return sum;
    }
}
