package dev.jgen.eval;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.stat.correlation.Covariance;

/**
 * The Fréchet distance between two sets of feature vectors, each summarised by a Gaussian (mean and
 * covariance): |mu_a - mu_b|^2 + tr(S_a + S_b - 2 (S_a^1/2 S_b S_a^1/2)^1/2). With Inception features
 * this is FID; with the hidden layer of any classifier of the data it measures the same thing at a
 * smaller scale. 0 for identical distributions.
 */
public final class FrechetDistance {
    private FrechetDistance() {}

    /** Features as rows ({@code dim} floats per example) of a and b. */
    public static double between(float[] a, float[] b, int dim) {
        double[] meanA = mean(a, dim);
        double[] meanB = mean(b, dim);
        return between(meanA, covariance(a, dim), meanB, covariance(b, dim));
    }

    /** Between two Gaussians given by their means and covariances (as merged statistics give them). */
    static double between(double[] meanA, RealMatrix covA, double[] meanB, RealMatrix covB) {
        int dim = meanA.length;
        double meanTerm = 0;
        for (int i = 0; i < dim; i++) {
            meanTerm += (meanA[i] - meanB[i]) * (meanA[i] - meanB[i]);
        }
        RealMatrix rootA = symmetricRoot(covA);
        RealMatrix cross = symmetricRoot(rootA.multiply(covB).multiply(rootA));
        return meanTerm + covA.getTrace() + covB.getTrace() - 2 * cross.getTrace();
    }

    private static double[] mean(float[] rows, int dim) {
        int n = rows.length / dim;
        double[] mean = new double[dim];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                mean[j] += rows[i * dim + j] / (double) n;
            }
        }
        return mean;
    }

    private static RealMatrix covariance(float[] rows, int dim) {
        int n = rows.length / dim;
        if (n < 2) {
            throw new IllegalArgumentException("a covariance needs at least 2 examples, got " + n);
        }
        double[][] data = new double[n][dim];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                data[i][j] = rows[i * dim + j];
            }
        }
        return new Covariance(data, true).getCovarianceMatrix(); // n - 1, as NumPy and every FID implementation
    }

    /** The square root of a symmetric positive semi-definite matrix; rounding's small negative eigenvalues count as 0. */
    private static RealMatrix symmetricRoot(RealMatrix m) {
        RealMatrix symmetric = m.add(m.transpose()).scalarMultiply(0.5);
        EigenDecomposition eigen = new EigenDecomposition(symmetric);
        double[] values = eigen.getRealEigenvalues();
        int n = values.length;
        RealMatrix roots = new Array2DRowRealMatrix(n, n);
        for (int i = 0; i < n; i++) {
            roots.setEntry(i, i, Math.sqrt(Math.max(0, values[i])));
        }
        return eigen.getV().multiply(roots).multiply(eigen.getVT());
    }
}
