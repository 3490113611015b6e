package dev.jgen.model.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.jgen.nn.Backend;
import dev.jgen.nn.Ops;

import java.util.Arrays;
import java.util.function.BiFunction;

/**
 * Places examples in a generator's latent space, which a GAN has no encoder for: for each example the
 * nearest of a few hundred random latents, then Adam on the squared distance between the generated and
 * the given example ("GAN inversion by optimisation", Zhu et al. 2016; Creswell and Bharath 2018).
 */
final class LatentSearch {
    private static final int CANDIDATES = 256;
    private static final int REFINE_STEPS = 200;
    private static final float RATE = 0.05f;
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    private LatentSearch() {}

    /**
     * @param targets  (n, example shape...) examples to place
     * @param labels   each target's class (ignored by an unconditional generator)
     * @param generate latents (k, latent) and their classes to examples (k, example shape...), differentiable
     * @return n latents, flattened (n x latent)
     */
    static float[] nearestLatents(NDManager m, NDArray targets, int[] labels, int latent, BiFunction<NDArray, int[], NDArray> generate) {
        int n = labels.length;
        float[] start = new float[n * latent];
        Backend.inferenceMode();
        for (int i = 0; i < n; i++) {
            try (NDManager scratch = m.newSubManager()) {
                NDArray candidates = scratch.randomNormal(new Shape(CANDIDATES, latent));
                int[] sameLabel = new int[CANDIDATES];
                Arrays.fill(sameLabel, labels[i]);
                NDArray generated = generate.apply(candidates, sameLabel).reshape(CANDIDATES, -1);
                NDArray target = targets.get(i).reshape(1, -1);
                long best = generated.sub(target).square().sum(new int[] {1}).argMin().getLong();
                System.arraycopy(candidates.get(best).toFloatArray(), 0, start, i * latent, latent);
            }
        }
        return refine(m, targets, labels, start, latent, generate);
    }

    private static float[] refine(NDManager m, NDArray targets, int[] labels, float[] start, int latent,
                                  BiFunction<NDArray, int[], NDArray> generate) {
        int n = labels.length;
        try (NDManager scratch = m.newSubManager()) {
            NDArray z = scratch.create(start, new Shape(n, latent));
            NDArray flatTargets = targets.reshape(n, -1);
            NDArray first = scratch.zeros(z.getShape());
            NDArray second = scratch.zeros(z.getShape());
            for (int t = 1; t <= REFINE_STEPS; t++) {
                try (NDManager step = scratch.newSubManager()) {
                    // A copy per step keeps the step's graph and arrays in the step's manager.
                    NDArray current = Ops.inBatch(z.duplicate(), step);
                    current.setRequiresGradient(true);
                    try (GradientCollector collector = Backend.engine().newGradientCollector()) {
                        NDArray generated = generate.apply(current, labels).reshape(n, -1);
                        collector.backward(generated.sub(flatTargets).square().sum());
                    }
                    // Adam on z; nothing here is differentiated, so plain scalar operands are safe.
                    NDArray grad = current.getGradient();
                    first.muli(BETA1).addi(grad.mul(1 - BETA1));
                    second.muli(BETA2).addi(grad.square().mul(1 - BETA2));
                    double correction = Math.sqrt(1 - Math.pow(BETA2, t)) / (1 - Math.pow(BETA1, t));
                    NDArray spread = Ops.inBatch(second.sqrt(), step).add(EPSILON);
                    z.subi(Ops.inBatch(first.div(spread), step).mul((float) (RATE * correction)));
                }
            }
            Backend.inferenceMode();
            return z.toFloatArray();
        }
    }
}
