package dev.jgen.model.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.jgen.nn.Ops;

/**
 * How to walk from noise back to data with a trained noise predictor. A sampler sees only the schedule,
 * the current x_t and the network's noise estimate, never the network itself, so any sampler works with
 * any trained model: {@code dm.sample(16, Sampler.ddim(50))}.
 */
public abstract class Sampler {
    private Sampler() {}

    /** Ancestral sampling (Ho et al., 2020) through every step of the schedule: the reference, and slow. */
    public static Sampler ddpm() {
        return new Ddpm();
    }

    /** DDIM (Song et al., 2021) over {@code steps} evenly spaced steps; deterministic (eta 0) unless {@link Ddim#eta}. */
    public static Ddim ddim(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("DDIM needs at least 1 step, got " + steps);
        }
        return new Ddim(steps, 0);
    }

    /** The steps visited, noisiest first. */
    abstract int[] timesteps(NoiseSchedule schedule);

    /**
     * x at step {@code previous} (-1 is clean data) from x at step {@code t} and the predicted noise.
     * The implied clean estimate is clamped to [-clip, clip] when clip is positive (images live in [-1, 1]).
     */
    abstract NDArray step(NoiseSchedule schedule, NDArray x, NDArray noise, int t, int previous, double clip);

    /** The clean data x_0 that x_t and its predicted noise imply. */
    static NDArray predictedClean(NDArray x, NDArray noise, double alphaBar, double clip) {
        NDManager m = x.getManager();
        NDArray x0 = x.sub(noise.mul(Ops.scalar(m, Math.sqrt(1 - alphaBar)))).div(Ops.scalar(m, Math.sqrt(alphaBar)));
        return clip > 0 ? Ops.clamp(x0, -clip, clip, m) : x0;
    }

    /**
     * The deterministic DDIM move between noise levels: keep the implied clean data and the predicted noise,
     * remix them for the target level. Used forwards to sample and backwards to invert.
     */
    static NDArray moveDeterministically(NDArray x, NDArray noise, double alphaBarFrom, double alphaBarTo, double clip) {
        NDManager m = x.getManager();
        NDArray x0 = predictedClean(x, noise, alphaBarFrom, clip);
        return x0.mul(Ops.scalar(m, Math.sqrt(alphaBarTo))).add(noise.mul(Ops.scalar(m, Math.sqrt(1 - alphaBarTo))));
    }

    static int[] evenlySpaced(int steps, int timesteps) {
        if (steps > timesteps) {
            throw new IllegalArgumentException("the sampler asks for " + steps + " steps, but the model was trained with "
                    + timesteps + "; use at most " + timesteps);
        }
        int[] ts = new int[steps];
        for (int i = 0; i < steps; i++) {
            ts[i] = (int) ((long) (steps - 1 - i) * timesteps / steps);
        }
        return ts;
    }

    private static final class Ddpm extends Sampler {
        @Override
        int[] timesteps(NoiseSchedule schedule) {
            return evenlySpaced(schedule.timesteps(), schedule.timesteps());
        }

        @Override
        NDArray step(NoiseSchedule schedule, NDArray x, NDArray noise, int t, int previous, double clip) {
            NDManager m = x.getManager();
            double a = schedule.alphaBar(t);
            double aPrevious = schedule.alphaBar(previous);
            double beta = 1 - a / aPrevious;
            // The posterior q(x_previous | x_t, x_0) with the network's x_0: a mean between the two, and its variance.
            NDArray x0 = predictedClean(x, noise, a, clip);
            NDArray mean = x0.mul(Ops.scalar(m, Math.sqrt(aPrevious) * beta / (1 - a)))
                    .add(x.mul(Ops.scalar(m, Math.sqrt(1 - beta) * (1 - aPrevious) / (1 - a))));
            double variance = (1 - aPrevious) / (1 - a) * beta;
            return variance > 0 ? mean.add(m.randomNormal(x.getShape()).mul(Ops.scalar(m, Math.sqrt(variance)))) : mean;
        }

        @Override
        public String toString() {
            return "DDPM";
        }
    }

    /** DDIM; {@code eta} 0 is deterministic, 1 adds as much noise per step as DDPM would. */
    public static final class Ddim extends Sampler {
        private final int steps;
        private final double eta;

        private Ddim(int steps, double eta) {
            this.steps = steps;
            this.eta = eta;
        }

        /** The share of fresh noise per step: 0 (deterministic, the default) to 1 (as stochastic as DDPM). */
        public Ddim eta(double value) {
            if (!(value >= 0 && value <= 1)) {
                throw new IllegalArgumentException("eta must lie in [0, 1], got " + value);
            }
            return new Ddim(steps, value);
        }

        @Override
        int[] timesteps(NoiseSchedule schedule) {
            return evenlySpaced(steps, schedule.timesteps());
        }

        @Override
        NDArray step(NoiseSchedule schedule, NDArray x, NDArray noise, int t, int previous, double clip) {
            double a = schedule.alphaBar(t);
            double aPrevious = schedule.alphaBar(previous);
            if (eta == 0) {
                return moveDeterministically(x, noise, a, aPrevious, clip);
            }
            NDManager m = x.getManager();
            double sigma = eta * Math.sqrt((1 - aPrevious) / (1 - a) * (1 - a / aPrevious));
            NDArray x0 = predictedClean(x, noise, a, clip);
            return x0.mul(Ops.scalar(m, Math.sqrt(aPrevious)))
                    .add(noise.mul(Ops.scalar(m, Math.sqrt(Math.max(0, 1 - aPrevious - sigma * sigma)))))
                    .add(m.randomNormal(x.getShape()).mul(Ops.scalar(m, sigma)));
        }

        @Override
        public String toString() {
            return "DDIM(" + steps + (eta == 0 ? "" : ", eta " + eta) + ")";
        }
    }
}
