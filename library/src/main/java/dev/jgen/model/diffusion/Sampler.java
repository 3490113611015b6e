package dev.jgen.model.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.jgen.nn.Ops;

/**
 * How to walk from noise back to data with a trained noise predictor. A sampler sees only the schedule,
 * the current x_t and the network's noise estimate, never the network itself, so any sampler works with
 * any trained model: {@code dm.sample(16, Sampler.ddim(50))}.
 *
 * <p>Write your own by overriding {@link #timesteps} (which noise levels to visit) and {@link #step} (one
 * move between two of them); {@link Step} offers the quantities most solvers are written in. A sampler
 * that remembers earlier steps (a multistep solver) returns a fresh copy from {@link #forOneRun}.
 */
public abstract class Sampler {
    protected Sampler() {}

    /** Ancestral sampling (Ho et al., 2020) through every step of the schedule: the reference, and slow. */
    public static Sampler ddpm() {
        return new Ddpm();
    }

    /** DDIM (Song et al., 2021) over {@code steps} evenly spaced steps; deterministic (eta 0) unless {@link Ddim#eta}. */
    public static Ddim ddim(int steps) {
        return new Ddim(requireSteps("DDIM", steps), 0);
    }

    /**
     * DPM-Solver++(2M) (Lu et al., 2022): a deterministic second-order multistep solver in the data
     * prediction; about 20 steps do what DDIM needs 50 for.
     */
    public static Sampler dpmSolver(int steps) {
        return new DpmSolver2M(requireSteps("DPM-Solver++", steps));
    }

    /** Euler ancestral (Karras et al., 2022; k-diffusion): a first-order step in sigma, with fresh noise at every step. */
    public static Sampler euler(int steps) {
        return new EulerAncestral(requireSteps("Euler ancestral", steps));
    }

    /** The steps visited, noisiest first, each in 0..T-1. */
    public abstract int[] timesteps(NoiseSchedule schedule);

    /** x at {@code step.previous()} (-1: clean data) from x at {@code step.t()} and the network's noise estimate. */
    public abstract NDArray step(Step step);

    /** The sampler for one run from noise to data: itself, unless it remembers earlier steps of a run. */
    public Sampler forOneRun() {
        return this;
    }

    /**
     * One move of a sampling run. {@code x} is the current state at step {@code t}, {@code noise} the
     * network's estimate of the noise in it; {@code previous} is the step to move to (-1: clean data).
     * {@code clip}, when positive, bounds the implied clean data (images live in [-1, 1]). {@code run}
     * keeps arrays that must outlive this step; everything else made here is freed after it.
     */
    public record Step(NoiseSchedule schedule, NDArray x, NDArray noise, int t, int previous, double clip, NDManager run) {
        /** alpha-bar at {@code t}: the share of signal variance left. */
        public double alphaBar() {
            return schedule.alphaBar(t);
        }

        /** alpha-bar at the step moved to (1 for clean data). */
        public double alphaBarPrevious() {
            return schedule.alphaBar(previous);
        }

        /** The clean data x_0 that x_t and the noise estimate imply, clamped to [-clip, clip] when clip is positive. */
        public NDArray predictedClean() {
            return Sampler.predictedClean(x, noise, alphaBar(), clip);
        }

        /** {@code a * first + b * second}. */
        public NDArray mix(double a, NDArray first, double b, NDArray second) {
            NDManager m = x.getManager();
            return first.mul(Ops.scalar(m, a)).add(second.mul(Ops.scalar(m, b)));
        }

        /** Standard normal noise shaped like x. */
        public NDArray freshNoise() {
            return x.getManager().randomNormal(x.getShape());
        }
    }

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

    /** {@code steps} evenly spaced steps of the schedule, noisiest first: for samplers that skip steps. */
    public static int[] evenlySpaced(int steps, int timesteps) {
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

    private static int requireSteps(String sampler, int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException(sampler + " needs at least 1 step, got " + steps);
        }
        return steps;
    }

    /** A sampler over {@code steps} evenly spaced steps of the schedule: extend it to write a solver that skips steps. */
    public abstract static class EvenlySpaced extends Sampler {
        protected final int steps;

        protected EvenlySpaced(int steps) {
            this.steps = requireSteps("a sampler", steps);
        }

        @Override
        public int[] timesteps(NoiseSchedule schedule) {
            return evenlySpaced(steps, schedule.timesteps());
        }
    }

    private static final class Ddpm extends Sampler {
        @Override
        public int[] timesteps(NoiseSchedule schedule) {
            return evenlySpaced(schedule.timesteps(), schedule.timesteps());
        }

        @Override
        public NDArray step(Step s) {
            double a = s.alphaBar();
            double aPrevious = s.alphaBarPrevious();
            double beta = 1 - a / aPrevious;
            // The posterior q(x_previous | x_t, x_0) with the network's x_0: a mean between the two, and its variance.
            NDArray mean = s.mix(Math.sqrt(aPrevious) * beta / (1 - a), s.predictedClean(),
                    Math.sqrt(1 - beta) * (1 - aPrevious) / (1 - a), s.x());
            double variance = (1 - aPrevious) / (1 - a) * beta;
            return variance > 0 ? s.mix(1, mean, Math.sqrt(variance), s.freshNoise()) : mean;
        }

        @Override
        public String toString() {
            return "DDPM";
        }
    }

    /** DDIM; {@code eta} 0 is deterministic, 1 adds as much noise per step as DDPM would. */
    public static final class Ddim extends EvenlySpaced {
        private final double eta;

        private Ddim(int steps, double eta) {
            super(steps);
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
        public NDArray step(Step s) {
            double a = s.alphaBar();
            double aPrevious = s.alphaBarPrevious();
            if (eta == 0) {
                return moveDeterministically(s.x(), s.noise(), a, aPrevious, s.clip());
            }
            double sigma = eta * Math.sqrt((1 - aPrevious) / (1 - a) * (1 - a / aPrevious));
            NDArray kept = s.mix(Math.sqrt(aPrevious), s.predictedClean(), Math.sqrt(Math.max(0, 1 - aPrevious - sigma * sigma)), s.noise());
            return s.mix(1, kept, sigma, s.freshNoise());
        }

        @Override
        public String toString() {
            return "DDIM(" + steps + (eta == 0 ? "" : ", eta " + eta) + ")";
        }
    }

    /**
     * DPM-Solver++(2M): in lambda = log(alpha / sigma), each step extrapolates the clean-data estimate
     * linearly from this step's and the last one's; the first step is first order (DDIM's), and the last
     * one lands on the clean estimate.
     */
    private static final class DpmSolver2M extends EvenlySpaced {
        private NDArray lastClean;
        private double lastLambda;

        DpmSolver2M(int steps) {
            super(steps);
        }

        @Override
        public Sampler forOneRun() {
            return new DpmSolver2M(steps);
        }

        @Override
        public NDArray step(Step s) {
            NDArray clean = s.predictedClean();
            if (s.previous() < 0) {
                return clean; // the last step lands on the clean estimate (lambda is infinite there)
            }
            double a = s.alphaBar();
            double aPrevious = s.alphaBarPrevious();
            double lambda = lambda(a);
            double h = lambda(aPrevious) - lambda;
            NDArray estimate = clean;
            if (lastClean != null) {
                double r = (lambda - lastLambda) / h;
                estimate = s.mix(1 + 1 / (2 * r), clean, -1 / (2 * r), lastClean);
            }
            NDArray next = s.mix(Math.sqrt((1 - aPrevious) / (1 - a)), s.x(), -Math.sqrt(aPrevious) * Math.expm1(-h), estimate);
            remember(clean, lambda, s.run());
            return next;
        }

        private void remember(NDArray clean, double lambda, NDManager run) {
            if (lastClean != null) {
                lastClean.close();
            }
            clean.attach(run);
            lastClean = clean;
            lastLambda = lambda;
        }

        private static double lambda(double alphaBar) {
            return 0.5 * Math.log(alphaBar / (1 - alphaBar));
        }

        @Override
        public String toString() {
            return "DPM-Solver++(2M, " + steps + ")";
        }
    }

    /**
     * Euler ancestral in the variance-exploding view x / sqrt(alpha-bar) = x_0 + sigma eps: step down to
     * a lower sigma along the noise estimate, then add fresh noise back up to the target sigma.
     */
    private static final class EulerAncestral extends EvenlySpaced {
        EulerAncestral(int steps) {
            super(steps);
        }

        @Override
        public NDArray step(Step s) {
            double aPrevious = s.alphaBarPrevious();
            double sigma = Math.sqrt((1 - s.alphaBar()) / s.alphaBar());
            double sigmaNext = Math.sqrt((1 - aPrevious) / aPrevious);
            double sigmaUp = Math.min(sigmaNext, Math.sqrt(sigmaNext * sigmaNext * (sigma * sigma - sigmaNext * sigmaNext) / (sigma * sigma)));
            double sigmaDown = Math.sqrt(sigmaNext * sigmaNext - sigmaUp * sigmaUp);
            NDArray clean = s.predictedClean();
            // The noise direction consistent with the (possibly clipped) clean estimate.
            NDArray direction = s.mix(1 / Math.sqrt(s.alphaBar()) / sigma, s.x(), -1 / sigma, clean);
            NDArray next = s.mix(1, clean, sigmaDown, direction);
            if (sigmaUp > 0) {
                next = s.mix(1, next, sigmaUp, s.freshNoise());
            }
            return next.mul(Ops.scalar(next.getManager(), Math.sqrt(aPrevious)));
        }

        @Override
        public String toString() {
            return "Euler ancestral(" + steps + ")";
        }
    }
}
