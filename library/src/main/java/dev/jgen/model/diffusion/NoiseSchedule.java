package dev.jgen.model.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;

import static dev.jgen.model.Require.positive;

/**
 * How much noise the forward process adds at each of T steps: beta_t, and alpha-bar_t = prod (1 - beta_s)
 * for s <= t, the fraction of the signal's variance left at step t. x_t = sqrt(alpha-bar_t) x_0 +
 * sqrt(1 - alpha-bar_t) eps in one jump. Separate from the network and the samplers, so one trained
 * model can be sampled by any sampler. Steps are numbered 0..T-1.
 */
public final class NoiseSchedule {
    public enum Kind { LINEAR, COSINE }

    /** Ho et al. (2020): beta rises linearly from 1e-4 to 0.02 over 1,000 steps. */
    private static final double LINEAR_START = 1e-4;
    private static final double LINEAR_END = 0.02;
    /** Nichol and Dhariwal (2021): the offset s, and the cap on beta that keeps the last steps finite. */
    private static final double COSINE_OFFSET = 0.008;
    private static final double MAX_BETA = 0.999;

    private final Kind kind;
    private final double[] betas;
    private final double[] alphaBars;

    private NoiseSchedule(Kind kind, double[] betas) {
        this.kind = kind;
        this.betas = betas;
        this.alphaBars = new double[betas.length];
        double product = 1;
        for (int t = 0; t < betas.length; t++) {
            product *= 1 - betas[t];
            alphaBars[t] = product;
        }
    }

    /** beta_t from 1e-4 to 0.02 in T equal steps (scaled by 1000/T so short schedules still reach noise). */
    public static NoiseSchedule linear(int timesteps) {
        positive(timesteps);
        double scale = 1000.0 / timesteps;
        double[] betas = new double[timesteps];
        for (int t = 0; t < timesteps; t++) {
            double f = timesteps == 1 ? 0 : t / (double) (timesteps - 1);
            betas[t] = Math.min(MAX_BETA, scale * (LINEAR_START + f * (LINEAR_END - LINEAR_START)));
        }
        return new NoiseSchedule(Kind.LINEAR, betas);
    }

    /** alpha-bar_t = f(t + 1) / f(0) with f(u) = cos^2(((u / T) + s) / (1 + s) * pi / 2): noise arrives more evenly. */
    public static NoiseSchedule cosine(int timesteps) {
        positive(timesteps);
        double[] betas = new double[timesteps];
        for (int t = 0; t < timesteps; t++) {
            betas[t] = Math.min(MAX_BETA, 1 - cosineF(t + 1, timesteps) / cosineF(t, timesteps));
        }
        return new NoiseSchedule(Kind.COSINE, betas);
    }

    static NoiseSchedule of(Kind kind, int timesteps) {
        return kind == Kind.COSINE ? cosine(timesteps) : linear(timesteps);
    }

    private static double cosineF(double u, int timesteps) {
        double c = Math.cos((u / timesteps + COSINE_OFFSET) / (1 + COSINE_OFFSET) * Math.PI / 2);
        return c * c;
    }

    private static void positive(int timesteps) {
        if (timesteps < 1) {
            throw new IllegalArgumentException("a noise schedule needs at least 1 timestep, got " + timesteps);
        }
    }

    public Kind kind() {
        return kind;
    }

    public int timesteps() {
        return betas.length;
    }

    public double beta(int t) {
        return betas[t];
    }

    /** alpha-bar_t; 1 for t = -1, the clean data. */
    public double alphaBar(int t) {
        return t < 0 ? 1 : alphaBars[t];
    }

    /** x_t = sqrt(alpha-bar_t) x_0 + sqrt(1 - alpha-bar_t) noise, for one step per example (t of length B). */
    public NDArray addNoise(NDArray x0, NDArray noise, int[] t) {
        NDManager m = x0.getManager();
        long b = x0.getShape().get(0);
        float[] signal = new float[t.length];
        float[] spread = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            signal[i] = (float) Math.sqrt(alphaBar(t[i]));
            spread[i] = (float) Math.sqrt(1 - alphaBar(t[i]));
        }
        Shape perExample = perExample(b, x0.getShape().dimension());
        return x0.mul(m.create(signal).reshape(perExample)).add(noise.mul(m.create(spread).reshape(perExample)));
    }

    /** (B, 1, 1, ...) so one value per example broadcasts over the rest. */
    static Shape perExample(long b, int dimensions) {
        long[] dims = new long[dimensions];
        Arrays.fill(dims, 1);
        dims[0] = b;
        return new Shape(dims);
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase() + " schedule, " + timesteps() + " steps";
    }
}
