package dev.jgen.eval;

import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.stat.correlation.Covariance;

/** Principal components of small-dimensional data (latent codes), for two-dimensional maps. */
public final class Pca {
    private Pca() {}

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
