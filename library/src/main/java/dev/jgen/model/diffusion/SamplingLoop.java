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
        double clip = scaling.forImages() ? IMAGE_RANGE : 0;
        int[] ts = run.timesteps(schedule);
        List<float[]> recorded = new ArrayList<>();
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(noise, predictor.shapeOf(n));
            if (frames > 1) {
                recorded.add(scaling.toDataSpace(noise));
            }
            for (int i = 0; i < ts.length; i++) {
                if (Thread.interrupted()) {
                    throw new CancellationException("sampling stopped by an interrupt after " + i + " of " + ts.length + " steps");
                }
                int previous = i + 1 < ts.length ? ts[i + 1] : -1;
                // Each step's intermediates live in their own manager; only the new x outlives it.
                try (NDManager stepManager = m.newSubManager()) {
                    x.attach(stepManager);
                    NDArray estimate = guidedNoise(x, ts[i], labels, guidance);
                    NDArray next = run.step(new Sampler.Step(schedule, x, estimate, ts[i], previous, clip, m));
                    next.attach(m);
                    x = next;
                }
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
