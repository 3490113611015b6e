package dev.jgen.eval;

/** Principal components of small-dimensional data (latent codes), by power iteration with deflation. */
public final class Pca {
    private static final int ITERATIONS = 200;

    private Pca() {}

    /** Projects N x dim points (row-major) onto their first two principal components: N x 2. */
    public static float[] project2d(float[] points, int dim) {
        int n = points.length / dim;
        double[] mean = new double[dim];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                mean[j] += points[i * dim + j] / (double) n;
            }
        }
        double[][] cov = new double[dim][dim];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < dim; a++) {
                double da = points[i * dim + a] - mean[a];
                for (int b = 0; b < dim; b++) {
                    cov[a][b] += da * (points[i * dim + b] - mean[b]) / Math.max(1, n - 1);
                }
            }
        }
        double[] first = leadingEigenvector(cov);
        deflate(cov, first);
        double[] second = leadingEigenvector(cov);
        float[] out = new float[2 * n];
        for (int i = 0; i < n; i++) {
            double p1 = 0;
            double p2 = 0;
            for (int j = 0; j < dim; j++) {
                double centred = points[i * dim + j] - mean[j];
                p1 += centred * first[j];
                p2 += centred * second[j];
            }
            out[2 * i] = (float) p1;
            out[2 * i + 1] = (float) p2;
        }
        return out;
    }

    private static double[] leadingEigenvector(double[][] matrix) {
        int dim = matrix.length;
        double[] v = new double[dim];
        for (int j = 0; j < dim; j++) {
            v[j] = 1.0 / Math.sqrt(dim) + 1e-3 * j;
        }
        for (int it = 0; it < ITERATIONS; it++) {
            double[] next = new double[dim];
            for (int a = 0; a < dim; a++) {
                for (int b = 0; b < dim; b++) {
                    next[a] += matrix[a][b] * v[b];
                }
            }
            double norm = 0;
            for (double x : next) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            if (norm == 0) {
                return v;
            }
            for (int a = 0; a < dim; a++) {
                v[a] = next[a] / norm;
            }
        }
        return v;
    }

    private static void deflate(double[][] matrix, double[] v) {
        int dim = matrix.length;
        double lambda = 0;
        for (int a = 0; a < dim; a++) {
            for (int b = 0; b < dim; b++) {
                lambda += v[a] * matrix[a][b] * v[b];
            }
        }
        for (int a = 0; a < dim; a++) {
            for (int b = 0; b < dim; b++) {
                matrix[a][b] -= lambda * v[a] * v[b];
            }
        }
    }
}
