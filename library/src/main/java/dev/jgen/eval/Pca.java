package dev.jgen.eval;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.stat.correlation.Covariance;

import java.util.stream.IntStream;

/** Principal components of small-dimensional data (latent codes), for two-dimensional maps and latent sliders. */
public final class Pca {
    /** The mean, the top principal directions (unit vectors, largest variance first) and their variances. */
    public record Components(float[] mean, float[][] directions, double[] variances) {}

    private Pca() {}

    /** The top {@code k} principal components of N x dim points (row-major). */
    public static Components components(float[] points, int dim, int k) {
        int n = points.length / dim;
        if (n < 2) {
            throw new IllegalArgumentException("principal components need at least 2 points, got " + n);
        }
        double[][] rows = new double[n][dim];
        float[] mean = new float[dim];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                rows[i][j] = points[i * dim + j];
                mean[j] += (float) (rows[i][j] / n);
            }
        }
        EigenDecomposition eigen = new EigenDecomposition(new Covariance(rows).getCovarianceMatrix());
        double[] values = eigen.getRealEigenvalues();
        int[] order = largestFirst(values);
        int kept = Math.min(k, dim);
        float[][] directions = new float[kept][dim];
        double[] variances = new double[kept];
        for (int c = 0; c < kept; c++) {
            RealVector v = eigen.getEigenvector(order[c]);
            for (int j = 0; j < dim; j++) {
                directions[c][j] = (float) v.getEntry(j);
            }
            variances[c] = Math.max(0, values[order[c]]);
        }
        return new Components(mean, directions, variances);
    }

    /**
     * Each point's coordinate along the top {@code k} principal components of N x dim points (k rows of N), from
     * the N x N Gram matrix: for many features (pixels) and few points, where a dim x dim covariance is too large.
     */
    public static float[][] scores(float[] points, int dim, int k) {
        int n = points.length / dim;
        double[] mean = new double[dim];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                mean[j] += points[i * dim + j] / (double) n;
            }
        }
        double[][] gram = new double[n][n];
        for (int a = 0; a < n; a++) {
            for (int b = a; b < n; b++) {
                double dot = 0;
                for (int j = 0; j < dim; j++) {
                    dot += (points[a * dim + j] - mean[j]) * (points[b * dim + j] - mean[j]);
                }
                gram[a][b] = dot;
                gram[b][a] = dot;
            }
        }
        EigenDecomposition eigen = new EigenDecomposition(new Array2DRowRealMatrix(gram, false));
        double[] values = eigen.getRealEigenvalues();
        int[] order = largestFirst(values);
        int kept = Math.min(k, n);
        float[][] scores = new float[kept][n];
        for (int c = 0; c < kept; c++) {
            RealVector u = eigen.getEigenvector(order[c]);
            double scale = Math.sqrt(Math.max(0, values[order[c]]));
            for (int i = 0; i < n; i++) {
                scores[c][i] = (float) (u.getEntry(i) * scale);
            }
        }
        return scores;
    }

    /** Indices of {@code values}, largest value first. */
    private static int[] largestFirst(double[] values) {
        return IntStream.range(0, values.length).boxed().sorted((a, b) -> Double.compare(values[b], values[a]))
                .mapToInt(Integer::intValue).toArray();
    }

    /** Projects N x dim points (row-major) onto their first two principal components: N x 2. */
    public static float[] project2d(float[] points, int dim) {
        int n = points.length / dim;
        double[][] rows = new double[n][dim];
        double[] mean = new double[dim];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                rows[i][j] = points[i * dim + j];
                mean[j] += rows[i][j] / n;
            }
        }
        EigenDecomposition eigen = new EigenDecomposition(new Covariance(rows).getCovarianceMatrix());
        int first = 0;
        int second = 1;
        double[] values = eigen.getRealEigenvalues();
        for (int k = 0; k < values.length; k++) {
            if (values[k] > values[first]) {
                second = first;
                first = k;
            } else if (k != first && (second == first || values[k] > values[second])) {
                second = k;
            }
        }
        RealVector a = eigen.getEigenvector(first);
        RealVector b = eigen.getEigenvector(second);
        float[] out = new float[2 * n];
        for (int i = 0; i < n; i++) {
            double p1 = 0;
            double p2 = 0;
            for (int j = 0; j < dim; j++) {
                p1 += (rows[i][j] - mean[j]) * a.getEntry(j);
                p2 += (rows[i][j] - mean[j]) * b.getEntry(j);
            }
            out[2 * i] = (float) p1;
            out[2 * i + 1] = (float) p2;
        }
        return out;
    }
}
