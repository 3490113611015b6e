package dev.jgen.model.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.jgen.nn.Backend;
import dev.jgen.nn.Ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.stream.IntStream;

/**
 * The sampling side of a diffusion model (diffusers calls it the pipeline): the loop that hands each
 * step to a {@link Sampler}, classifier-free guidance, DDIM inversion and recorded trajectories, between the
 * data's space and the model's. The model contributes only its noise estimate, through {@link NoisePredictor}.
 */
final class SamplingLoop {
    /** What the loop needs from a trained model, all in model space. */
    interface NoisePredictor {
        /** The sampling network's noise estimate for x at step t (the same for every example); labels null: unconditional. */
        NDArray noise(NDArray x, int t, int[] labels);

        /** The label that stands for "no label" in classifier-free guidance. */
        int nullLabel();

        /** The shape of {@code n} examples in model space. */
        Shape shapeOf(int n);
    }

    /** Clean images live in [-1, 1] in model space: estimates of them are clamped there while sampling. */
    private static final double IMAGE_RANGE = 1;

    private final NoiseSchedule schedule;
    private final NoisePredictor predictor;
    private final DataScaling scaling;
    private final boolean conditional;

    SamplingLoop(NoiseSchedule schedule, NoisePredictor predictor, DataScaling scaling, boolean conditional) {
        this.schedule = schedule;
        this.predictor = predictor;
        this.scaling = scaling;
        this.conditional = conditional;
    }

    /**
     * Runs {@code sampler} from {@code noise} (flat, n examples) and returns x, in data space, at
     * {@code frames} evenly spaced moments from the noise to the result (just the result when frames is 1).
     * Labels null: unconditional; otherwise classifier-free guidance of the given scale.
     */
    List<float[]> denoise(NDManager manager, float[] noise, int n, int[] labels, double guidance, Sampler sampler, int frames) {
        Backend.inferenceMode();
        Sampler run = sampler.forOneRun();
        int[] ts = run.timesteps(schedule);
        List<float[]> recorded = new ArrayList<>();
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(noise, predictor.shapeOf(n));
            if (frames > 1) {
                recorded.add(scaling.toDataSpace(noise));
            }
            for (int i = 0; i < ts.length; i++) {
                x = step(x, ts, i, labels, guidance, run, m);
                if (frames > 1 && isFrame(i + 1, ts.length, frames)) {
                    recorded.add(scaling.toDataSpace(x.toFloatArray()));
                }
            }
            if (frames == 1) {
                recorded.add(scaling.toDataSpace(x.toFloatArray()));
            }
        }
        return recorded;
    }

    /**
     * SDEdit (Meng et al., 2022): the examples (data space) noised to the level {@code strength} of the way to
     * pure noise (0: unchanged, 1: pure noise), then denoised back by {@code sampler}. The noise drowns detail
     * and the model fills it with what it learned; the coarse layout survives.
     */
    float[] edit(NDArray examples, double strength, Sampler sampler) {
        if (strength == 0) {
            return examples.toFloatArray();
        }
        int start = (int) Math.round(strength * (schedule.timesteps() - 1));
        NDArray clean = scaling.toModelSpace(examples);
        NDArray noisy = schedule.addNoise(clean, clean.getManager().randomNormal(clean.getShape()), sameStep(clean, start));
        return denoiseFrom(noisy, start, sampler);
    }

    /**
     * Removes Gaussian noise of standard deviation {@code level} (data units) from the examples: noisy data are
     * a scaled x_t for the step whose noise-to-signal ratio matches, so the sampler finishes the job from there.
     */
    float[] removeNoise(NDArray noisy, double level, Sampler sampler) {
        double sigma = level * scaling.modelUnitsPerDataUnit();
        int start = 0;
        while (start < schedule.timesteps() - 1 && noiseToSignal(start) < sigma * sigma) {
            start++;
        }
        NDManager m = noisy.getManager();
        NDArray xt = scaling.toModelSpace(noisy).mul(Ops.scalar(m, Math.sqrt(schedule.alphaBar(start))));
        return denoiseFrom(xt, start, sampler);
    }

    /**
     * RePaint (Lugmayr et al., 2022): samples the pixels where {@code fill} is 1 while, at every step, the
     * others are the examples themselves noised to that step's level. Each step is undone and redone
     * {@code resamplings} times (noise back up one step, denoise again) so the filled part has time to agree
     * with what surrounds it.
     */
    float[] inpaint(NDArray examples, NDArray fill, Sampler sampler, int resamplings) {
        Backend.inferenceMode();
        Sampler run = sampler.forOneRun();
        int[] ts = run.timesteps(schedule);
        NDManager caller = examples.getManager();
        try (NDManager m = caller.newSubManager()) {
            NDArray known = scaling.toModelSpace(examples);
            known.attach(m);
            NDArray unknown = fill.reshape(known.getShape());
            unknown.attach(m);
            NDArray keep = Ops.scalar(m, 1).sub(unknown);
            NDArray x = m.randomNormal(known.getShape());
            for (int i = 0; i < ts.length; i++) {
                int previous = i + 1 < ts.length ? ts[i + 1] : -1;
                for (int round = 0; round < resamplings; round++) {
                    NDArray generated = step(x, ts, i, null, 1, run, m);
                    boolean again = round + 1 < resamplings && previous >= 0;
                    try (NDManager r = m.newSubManager()) {
                        generated.attach(r);
                        known.tempAttach(r);
                        unknown.tempAttach(r);
                        keep.tempAttach(r);
                        NDArray noisedKnown = previous < 0 ? known : schedule.addNoise(known, r.randomNormal(known.getShape()), sameStep(known, previous));
                        NDArray merged = generated.mul(unknown).add(noisedKnown.mul(keep));
                        if (again) {
                            double back = schedule.alphaBar(ts[i]) / schedule.alphaBar(previous);
                            merged = merged.mul(Ops.scalar(r, Math.sqrt(back))).add(r.randomNormal(merged.getShape()).mul(Ops.scalar(r, Math.sqrt(1 - back))));
                        }
                        merged.attach(m);
                        x = merged;
                    }
                }
            }
            return scaling.toDataSpace(x.toFloatArray());
        }
    }

    /** The sampler's steps from {@code start} (included) down to clean data, starting from x_start in model space. */
    private float[] denoiseFrom(NDArray xStart, int start, Sampler sampler) {
        Backend.inferenceMode();
        Sampler run = sampler.forOneRun();
        int[] all = run.timesteps(schedule);
        int[] ts = IntStream.concat(IntStream.of(start), Arrays.stream(all).filter(t -> t < start)).toArray();
        try (NDManager m = xStart.getManager().newSubManager()) {
            NDArray x = xStart;
            for (int i = 0; i < ts.length; i++) {
                x = step(x, ts, i, null, 1, run, m);
            }
            return scaling.toDataSpace(x.toFloatArray());
        }
    }

    /** One sampler step from ts[i] to the next step (or clean data); the new x lives in {@code m}, the step's intermediates are freed. */
    private NDArray step(NDArray x, int[] ts, int i, int[] labels, double guidance, Sampler run, NDManager m) {
        if (Thread.interrupted()) {
            throw new CancellationException("sampling stopped by an interrupt after " + i + " of " + ts.length + " steps");
        }
        int previous = i + 1 < ts.length ? ts[i + 1] : -1;
        double clip = scaling.forImages() ? IMAGE_RANGE : 0;
        try (NDManager stepManager = m.newSubManager()) {
            x.attach(stepManager);
            NDArray estimate = guidedNoise(x, ts[i], labels, guidance);
            NDArray next = run.step(new Sampler.Step(schedule, x, estimate, ts[i], previous, clip, m));
            next.attach(m);
            return next;
        }
    }

    /** (1 - alpha-bar) / alpha-bar at t: the variance of the noise relative to the signal. */
    private double noiseToSignal(int t) {
        return (1 - schedule.alphaBar(t)) / schedule.alphaBar(t);
    }

    private static int[] sameStep(NDArray batch, int t) {
        int[] steps = new int[(int) batch.getShape().get(0)];
        Arrays.fill(steps, t);
        return steps;
    }

    /** The noise (model space) examples x (data space) turn into under deterministic DDIM run backwards over {@code steps} steps. */
    NDArray invert(NDArray examples, int steps) {
        NDArray x = scaling.toModelSpace(examples);
        int[] descending = Sampler.ddim(steps).timesteps(schedule);
        int previous = -1;
        for (int i = descending.length - 1; i >= 0; i--) {
            int t = descending[i];
            NDArray noise = guidedNoise(x, t, null, 1);
            x = Sampler.moveDeterministically(x, noise, schedule.alphaBar(previous), schedule.alphaBar(t), 0);
            previous = t;
        }
        return x;
    }

    /** Whether the state after {@code done} of {@code total} steps is one of {@code frames} evenly spaced ones (0 is the noise). */
    private static boolean isFrame(int done, int total, int frames) {
        for (int f = 1; f < frames; f++) {
            if (Math.round(f * (double) total / (frames - 1)) == done) {
                return true;
            }
        }
        return false;
    }

    /** eps_uncond + w (eps_cond - eps_uncond), both from one batch of twice the size. */
    private NDArray guidedNoise(NDArray x, int t, int[] labels, double guidance) {
        int n = (int) x.getShape().get(0);
        if (labels == null || !conditional) {
            return predictor.noise(x, t, conditional ? nullLabels(n) : null);
        }
        if (guidance == 1) {
            return predictor.noise(x, t, labels);
        }
        int[] both = Arrays.copyOf(labels, 2 * n);
        Arrays.fill(both, n, 2 * n, predictor.nullLabel());
        NDList parts = predictor.noise(x.concat(x, 0), t, both).split(2, 0);
        NDArray unconditional = parts.get(1);
        return unconditional.add(parts.get(0).sub(unconditional).mul(Ops.scalar(x.getManager(), guidance)));
    }

    private int[] nullLabels(int n) {
        int[] labels = new int[n];
        Arrays.fill(labels, predictor.nullLabel());
        return labels;
    }
}
