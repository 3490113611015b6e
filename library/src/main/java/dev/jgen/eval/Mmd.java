package dev.jgen.eval;

import java.util.Arrays;

/**
 * Maximum mean discrepancy (Gretton et al., 2012) between two samples with a Gaussian kernel: zero when
 * they come from the same distribution, larger the more they differ. For low-dimensional data such as
 * the 2-D toys, where it is a sharper judge of a generator than a look at a scatter.
 */
public final class Mmd {
    private Mmd() {}

    /** Bandwidths as fractions of the median distance: the median alone is too broad for shapes finer than their extent. */
    private static final double[] SCALES = {1, 0.5, 0.25, 0.125};

    /**
     * The unbiased estimate of squared MMD between samples a and b (row-major, {@code dim} per point),
     * averaged over Gaussian kernels of bandwidth 1, 1/2, 1/4 and 1/8 of the median distance between
     * points of {@code b}, so that both the overall spread and fine structure count.
     */
    public static double squared(float[] a, float[] b, int dim) {
        double median = medianDistance(b, dim);
        double sum = 0;
        for (double scale : SCALES) {
            sum += squared(a, b, dim, scale * median);
        }
        return sum / SCALES.length;
    }

    /** The unbiased estimate of squared MMD with the Gaussian kernel exp(-|x - y|^2 / (2 bandwidth^2)). */
    public static double squared(float[] a, float[] b, int dim, double bandwidth) {
        int n = a.length / dim;
        int m = b.length / dim;
        if (n < 2 || m < 2) {
            throw new IllegalArgumentException("MMD needs at least 2 points in each sample, got " + n + " and " + m);
        }
        double gamma = 1 / (2 * bandwidth * bandwidth);
        double aa = meanKernel(a, a, dim, gamma, true);
        double bb = meanKernel(b, b, dim, gamma, true);
        double ab = meanKernel(a, b, dim, gamma, false);
        return aa + bb - 2 * ab;
    }

    private static double meanKernel(float[] x, float[] y, int dim, double gamma, boolean sameSample) {
        int n = x.length / dim;
        int m = y.length / dim;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                if (sameSample && i == j) {
                    continue;
                }
                sum += Math.exp(-gamma * squaredDistance(x, i, y, j, dim));
            }
        }
        return sum / (sameSample ? (double) n * (n - 1) : (double) n * m);
    }

    /** The median distance between distinct points (of at most the first 1,000), the usual bandwidth choice. */
    public static double medianDistance(float[] points, int dim) {
        int n = Math.min(points.length / dim, 1000);
        double[] distances = new double[n * (n - 1) / 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                distances[k++] = Math.sqrt(squaredDistance(points, i, points, j, dim));
            }
        }
        Arrays.sort(distances);
        return distances.length == 0 ? 1 : distances[distances.length / 2];
    }

    private static double squaredDistance(float[] x, int i, float[] y, int j, int dim) {
        double s = 0;
        for (int d = 0; d < dim; d++) {
            double diff = x[i * dim + d] - y[j * dim + d];
            s += diff * diff;
        }
        return s;
    }
}
