package dev.jgen.model.tabular;

import dev.jgen.model.tabular.TableEncoding.ColumnCode;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.Arrays;
import java.util.Random;

/**
 * The classical baseline: every column's own distribution, tied together by the correlations of a multivariate
 * normal. Each cell is placed on its column's cumulative distribution (a category or a missing value takes an
 * interval, a value its rank), mapped through the inverse normal, and the columns' correlation is estimated;
 * sampling runs the other way. Numeric columns keep 101 quantiles of their values, not the values.
 *
 * @param cuts per column: where each slot's interval ends on [0, 1] (categories, then missing), or for a numeric
 *             column the share of missing values, which take [0, share)
 * @param quantiles per numeric column, its values at 0 %, 1 %, ..., 100 % (empty for the others)
 * @param cholesky the lower Cholesky factor of the normal scores' correlation, row by row
 * @param nll the copula's mean negative log-likelihood on the training rows, in nats
 */
record GaussianCopula(double[][] cuts, double[][] quantiles, double[] cholesky, double nll) {
    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);
    private static final int QUANTILES = 101;
    /** Keeps a correlation of nearly dependent columns positive definite. */
    private static final double RIDGE = 1e-3;
    private static final double EDGE = 1e-6;

    static GaussianCopula fit(Table table, TableEncoding encoding, Random random) {
        int rows = table.rowCount();
        int d = encoding.columns().size();
        double[][] cuts = new double[d][];
        double[][] quantiles = new double[d][];
        double[][] scores = new double[rows][d];
        for (int c = 0; c < d; c++) {
            ColumnCode code = encoding.columns().get(c);
            Column<?> column = table.column(c);
            double[] lo = new double[rows];
            double[] hi = new double[rows];
            if (code.numeric()) {
                double missingShare = column.countMissing() / (double) rows;
                cuts[c] = new double[] {missingShare};
                double[] values = TableEncoding.present((NumericColumn<?>) column);
                Arrays.sort(values);
                quantiles[c] = new double[QUANTILES];
                for (int q = 0; q < QUANTILES; q++) {
                    quantiles[c][q] = quantile(values, q / (QUANTILES - 1.0));
                }
                for (int r = 0; r < rows; r++) {
                    if (column.isMissing(r)) {
                        lo[r] = 0;
                        hi[r] = missingShare;
                    } else {
                        double x = ((NumericColumn<?>) column).getDouble(r);
                        int below = lowerBound(values, x);
                        int upTo = upperBound(values, x);
                        lo[r] = missingShare + (1 - missingShare) * below / values.length;
                        hi[r] = missingShare + (1 - missingShare) * upTo / values.length;
                    }
                }
            } else {
                int[] counts = new int[code.slots()];
                int[] slots = new int[rows];
                for (int r = 0; r < rows; r++) {
                    slots[r] = code.slotAt(column, r);
                    counts[slots[r]]++;
                }
                cuts[c] = new double[code.slots()];
                double cumulative = 0;
                for (int s = 0; s < counts.length; s++) {
                    cumulative += counts[s] / (double) rows;
                    cuts[c][s] = cumulative;
                }
                for (int r = 0; r < rows; r++) {
                    lo[r] = slots[r] == 0 ? 0 : cuts[c][slots[r] - 1];
                    hi[r] = cuts[c][slots[r]];
                }
            }
            for (int r = 0; r < rows; r++) {
                double u = lo[r] + random.nextDouble() * (hi[r] - lo[r]);
                scores[r][c] = NORMAL.inverseCumulativeProbability(Math.min(1 - EDGE, Math.max(EDGE, u)));
            }
        }
        RealMatrix correlation = d == 1 || rows < 3 ? MatrixUtils.createRealIdentityMatrix(d)
                : new PearsonsCorrelation(scores).getCorrelationMatrix();
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double v = correlation.getEntry(i, j);
                correlation.setEntry(i, j, i == j ? 1 : Double.isFinite(v) ? v / (1 + RIDGE) : 0);
            }
        }
        RealMatrix lower = new CholeskyDecomposition(correlation).getL();
        double[] cholesky = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                cholesky[i * d + j] = lower.getEntry(i, j);
            }
        }
        return new GaussianCopula(cuts, quantiles, cholesky, negativeLogLikelihood(scores, correlation));
    }

    /** The mean of -log c(u) = 0.5 log|R| + 0.5 z'(R^-1 - I) z over the rows. */
    private static double negativeLogLikelihood(double[][] scores, RealMatrix correlation) {
        CholeskyDecomposition decomposition = new CholeskyDecomposition(correlation);
        RealMatrix inverse = decomposition.getSolver().getInverse();
        double logDet = Math.log(decomposition.getDeterminant());
        double total = 0;
        for (double[] z : scores) {
            double quadratic = 0;
            for (int i = 0; i < z.length; i++) {
                for (int j = 0; j < z.length; j++) {
                    quadratic += z[i] * (inverse.getEntry(i, j) - (i == j ? 1 : 0)) * z[j];
                }
            }
            total += 0.5 * (logDet + quadratic);
        }
        return total / scores.length;
    }

    /** {@code n} rows drawn from the copula, as a table with {@code encoding}'s columns. */
    Table sample(String name, TableEncoding encoding, int n, Random random) {
        int d = encoding.columns().size();
        double[][] u = new double[n][d];
        double[] eps = new double[d];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < d; i++) {
                eps[i] = random.nextGaussian();
            }
            for (int i = 0; i < d; i++) {
                double z = 0;
                for (int j = 0; j <= i; j++) {
                    z += cholesky[i * d + j] * eps[j];
                }
                u[r][i] = NORMAL.cumulativeProbability(z);
            }
        }
        Table table = Table.create(name);
        for (int c = 0; c < d; c++) {
            ColumnCode code = encoding.columns().get(c);
            if (code.numeric()) {
                double missingShare = cuts[c][0];
                double[] values = new double[n];
                for (int r = 0; r < n; r++) {
                    if (u[r][c] < missingShare) {
                        values[r] = Double.NaN;
                    } else {
                        double x = interpolate(quantiles[c], (u[r][c] - missingShare) / (1 - missingShare));
                        values[r] = code.kind() == TableEncoding.Kind.INTEGER ? Math.rint(x) : x;
                    }
                }
                table.addColumns(TableEncoding.numericColumn(code, values));
            } else {
                int slots = code.slots();
                float[] oneHot = new float[n * slots];
                for (int r = 0; r < n; r++) {
                    int s = 0;
                    while (s < slots - 1 && u[r][c] >= cuts[c][s]) {
                        s++;
                    }
                    oneHot[r * slots + s] = 1;
                }
                TableEncoding alone = new TableEncoding(java.util.List.of(code));
                table.addColumns(alone.decode(name, oneHot, n, random).column(0));
            }
        }
        return table;
    }

    private static double quantile(double[] sorted, double p) {
        double position = p * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(sorted.length - 1, below + 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    private static double interpolate(double[] quantiles, double p) {
        double position = Math.max(0, Math.min(1, p)) * (quantiles.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(quantiles.length - 1, below + 1);
        return quantiles[below] + (position - below) * (quantiles[above] - quantiles[below]);
    }

    private static int lowerBound(double[] sorted, double x) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int upperBound(double[] sorted, double x) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
