package dev.jgen.eval;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Sums over a set of feature vectors from which FCD, KID and MMD follow exactly, and which add up part by part:
 * the sums of a set cut into pieces anyhow (a cluster's partitions, batches) {@link #merge} into those of the
 * whole, so a card over millions of rows needs one pass and no pairwise work. The count, Σx and Σxxᵀ give the
 * Fréchet distance's Gaussians. KID's kernel (x·y/d + 1)³ expands into 1 + 3s + 3s² + s³ with s = x·y/d, and the
 * sum of sᵏ over all pairs of two sets is the inner product of their k-th moment tensors Σx⊗…⊗x, so with those up
 * to the third and Σk(x, x) for the pairs of a row with itself every sum KID needs is exact. MMD's Gaussian kernel
 * is read through random Fourier features (Rahimi and Recht, 2007) whose sums merge the same way; its bandwidth is
 * set from the real set's spread, so {@link #card} takes two passes over the real rows.
 */
public final class FeatureSums implements Serializable {
    private static final long serialVersionUID = 1;
    /** KID's third moments take d³/6 numbers: 256 features are 2.8 million (22 MB). */
    public static final int MOST_FEATURES = 256;
    /** Random Fourier features for MMD: the kernel they approximate is off by about 1/sqrt of this (4%). */
    public static final int FOURIER_FEATURES = 512;
    private static final long FOURIER_SEED = 0x6a67656eL;

    private final int dim;
    private final double bandwidth;
    private long count;
    private final double[] sum;
    /** Σxxᵀ, the upper triangle (a ≤ b) row by row. */
    private final double[] products;
    /** Σx⊗x⊗x over a ≤ b ≤ c, in that nesting. */
    private final double[] cubes;
    private double selfKernel;
    private final double[] fourierSum;
    private double fourierSelf;
    private transient double[] frequencies;
    private transient double[] phases;

    /** Empty sums for {@code dim} features; MMD's part only when {@code bandwidth} is positive. */
    public FeatureSums(int dim, double bandwidth) {
        requireWidth(dim);
        this.dim = dim;
        this.bandwidth = bandwidth;
        this.sum = new double[dim];
        this.products = new double[dim * (dim + 1) / 2];
        this.cubes = new double[dim * (dim + 1) * (dim + 2) / 6];
        this.fourierSum = new double[bandwidth > 0 ? FOURIER_FEATURES : 0];
    }

    /** Fails with what to do unless rows of {@code dim} features can be summed (before a job starts, say). */
    public static void requireWidth(int dim) {
        if (dim < 1 || dim > MOST_FEATURES) {
            throw new IllegalArgumentException("a card in merged sums takes 1 to " + MOST_FEATURES + " features per row, and these rows have "
                    + dim + ": reduce them first (image features from ImageFeatures have 128; a table model's features() one per column or category)");
        }
    }

    /** The sums of {@code rows} ({@code dim} floats each). */
    public static FeatureSums of(float[] rows, int dim, double bandwidth) {
        FeatureSums sums = new FeatureSums(dim, bandwidth);
        sums.add(rows);
        return sums;
    }

    /** Adds rows of {@code dim} floats; returns this. */
    public FeatureSums add(float[] rows) {
        if (rows.length % dim != 0) {
            throw new IllegalArgumentException("rows of " + dim + " features: " + rows.length + " values is not a whole number of rows");
        }
        double[] x = new double[dim];
        for (int r = 0; r < rows.length / dim; r++) {
            for (int a = 0; a < dim; a++) {
                x[a] = rows[r * dim + a];
            }
            addRow(x);
        }
        return this;
    }

    private void addRow(double[] x) {
        count++;
        double squaredNorm = 0;
        int p = 0;
        int t = 0;
        for (int a = 0; a < dim; a++) {
            double xa = x[a];
            sum[a] += xa;
            squaredNorm += xa * xa;
            if (xa == 0) {
                // One-hot and sparse features skip most of the work: nothing of row a changes.
                p += dim - a;
                t += (dim - a) * (dim - a + 1) / 2;
                continue;
            }
            for (int b = a; b < dim; b++) {
                double xab = xa * x[b];
                products[p++] += xab;
                if (xab == 0) {
                    t += dim - b;
                    continue;
                }
                for (int c = b; c < dim; c++) {
                    cubes[t++] += xab * x[c];
                }
            }
        }
        double self = squaredNorm / dim + 1;
        selfKernel += self * self * self;
        if (fourierSum.length > 0) {
            double scale = Math.sqrt(2.0 / FOURIER_FEATURES);
            double[] w = frequencies();
            int[] nonZero = new int[dim];
            int nonZeros = 0;
            for (int a = 0; a < dim; a++) {
                if (x[a] != 0) {
                    nonZero[nonZeros++] = a;
                }
            }
            double selfFeatures = 0;
            for (int f = 0; f < FOURIER_FEATURES; f++) {
                double projection = phases[f];
                for (int i = 0; i < nonZeros; i++) {
                    projection += w[f * dim + nonZero[i]] * x[nonZero[i]];
                }
                double feature = scale * Math.cos(projection);
                fourierSum[f] += feature;
                selfFeatures += feature * feature;
            }
            fourierSelf += selfFeatures;
        }
    }

    /**
     * The same random features wherever they are drawn: from a fixed seed and the dimension, scaled by the bandwidth
     * (so that a bandwidth off in its last digit, as sums merged in another order give it, moves the card no more).
     */
    private double[] frequencies() {
        if (frequencies == null) {
            Random random = new Random(FOURIER_SEED ^ dim);
            double[] w = new double[FOURIER_FEATURES * dim];
            for (int i = 0; i < w.length; i++) {
                w[i] = random.nextGaussian() / bandwidth;
            }
            double[] b = new double[FOURIER_FEATURES];
            for (int f = 0; f < b.length; f++) {
                b[f] = random.nextDouble() * 2 * Math.PI;
            }
            phases = b;
            frequencies = w;
        }
        return frequencies;
    }

    /** Adds {@code other}'s sums (of the same features and bandwidth) into these; returns this. */
    public FeatureSums merge(FeatureSums other) {
        requireSameFeatures(other);
        count += other.count;
        addInto(sum, other.sum);
        addInto(products, other.products);
        addInto(cubes, other.cubes);
        addInto(fourierSum, other.fourierSum);
        selfKernel += other.selfKernel;
        fourierSelf += other.fourierSelf;
        return this;
    }

    private static void addInto(double[] into, double[] values) {
        for (int i = 0; i < into.length; i++) {
            into[i] += values[i];
        }
    }

    /** MMD's bandwidth for data of these sums: the root mean squared distance between two of its rows, sqrt(2 tr Σ). */
    public double spread() {
        RealMatrix covariance = covariance();
        return Math.sqrt(2 * covariance.getTrace());
    }

    private double[] mean() {
        double[] mean = new double[dim];
        for (int a = 0; a < dim; a++) {
            mean[a] = sum[a] / count;
        }
        return mean;
    }

    /** The unbiased covariance (n - 1), as {@link FrechetDistance} takes it. */
    private RealMatrix covariance() {
        if (count < 2) {
            throw new IllegalArgumentException("a covariance needs at least 2 rows, got " + count);
        }
        double[] mean = mean();
        RealMatrix covariance = new Array2DRowRealMatrix(dim, dim);
        int p = 0;
        for (int a = 0; a < dim; a++) {
            for (int b = a; b < dim; b++) {
                double value = (products[p++] - count * mean[a] * mean[b]) / (count - 1);
                covariance.setEntry(a, b, value);
                covariance.setEntry(b, a, value);
            }
        }
        return covariance;
    }

    /** The Fréchet distance between the Gaussians of two sets' sums. */
    public static double fcd(FeatureSums a, FeatureSums b) {
        a.requireSameFeatures(b);
        return FrechetDistance.between(a.mean(), a.covariance(), b.mean(), b.covariance());
    }

    /** KID on all pairs, as {@link Kid#unbiased} computes it from the rows themselves. */
    public static double kid(FeatureSums a, FeatureSums b) {
        a.requireSameFeatures(b);
        if (a.count < 2 || b.count < 2) {
            throw new IllegalArgumentException("KID needs at least 2 examples on each side, got " + a.count + " and " + b.count);
        }
        double m = a.count;
        double n = b.count;
        double withinA = (pairSum(a, a) - a.selfKernel) / (m * (m - 1));
        double withinB = (pairSum(b, b) - b.selfKernel) / (n * (n - 1));
        return withinA + withinB - 2 * pairSum(a, b) / (m * n);
    }

    /** The sum of the cubic kernel over every ordered pair (x in a, y in b), from the moments. */
    private static double pairSum(FeatureSums a, FeatureSums b) {
        int d = a.dim;
        double first = 0;
        for (int i = 0; i < d; i++) {
            first += a.sum[i] * b.sum[i];
        }
        double second = 0;
        int p = 0;
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++, p++) {
                second += (i == j ? 1 : 2) * a.products[p] * b.products[p];
            }
        }
        double third = 0;
        int t = 0;
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                for (int k = j; k < d; k++, t++) {
                    // How many orderings of (i, j, k) the one stored entry stands for.
                    int orderings = i == j && j == k ? 1 : i == j || j == k ? 3 : 6;
                    third += orderings * a.cubes[t] * b.cubes[t];
                }
            }
        }
        return (double) a.count * b.count + 3 * first / d + 3 * second / ((double) d * d) + third / ((double) d * d * d);
    }

    /** The unbiased squared MMD under the Gaussian kernel of the sums' bandwidth, through their Fourier features. */
    public static double mmd(FeatureSums a, FeatureSums b) {
        a.requireSameFeatures(b);
        if (a.bandwidth <= 0) {
            throw new IllegalArgumentException("these sums were taken without a bandwidth, so they hold no MMD: give one");
        }
        double m = a.count;
        double n = b.count;
        double aa = 0;
        double bb = 0;
        double ab = 0;
        for (int f = 0; f < FOURIER_FEATURES; f++) {
            aa += a.fourierSum[f] * a.fourierSum[f];
            bb += b.fourierSum[f] * b.fourierSum[f];
            ab += a.fourierSum[f] * b.fourierSum[f];
        }
        return (aa - a.fourierSelf) / (m * (m - 1)) + (bb - b.fourierSelf) / (n * (n - 1)) - 2 * ab / (m * n);
    }

    /** "fcd", "kid" and "mmd" between real and generated sums taken with the same bandwidth, and both counts. */
    public static Map<String, Double> card(FeatureSums real, FeatureSums generated) {
        Map<String, Double> card = new LinkedHashMap<>();
        card.put("fcd", fcd(real, generated));
        card.put("kid", kid(real, generated));
        card.put("mmd", mmd(real, generated));
        card.put("real_rows", (double) real.count);
        card.put("generated_rows", (double) generated.count);
        return card;
    }

    /** The card on one machine: the same numbers as from sums merged over any split of the same rows. */
    public static Map<String, Double> card(float[] real, float[] generated, int dim) {
        double bandwidth = of(real, dim, 0).spread();
        return card(of(real, dim, bandwidth), of(generated, dim, bandwidth));
    }

    private void requireSameFeatures(FeatureSums other) {
        if (other.dim != dim || other.bandwidth != bandwidth) {
            throw new IllegalArgumentException("these sums are of " + dim + " features (bandwidth " + bandwidth + ") and the others of "
                    + other.dim + " (bandwidth " + other.bandwidth + "): only sums of the same features, taken with the same bandwidth, go together");
        }
    }
}
