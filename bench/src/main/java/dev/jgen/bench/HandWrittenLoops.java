package dev.jgen.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import dev.jgen.Gen;
import dev.jgen.data.Dataset;
import dev.jgen.model.Ema;
import dev.jgen.model.ModelBase;
import dev.jgen.model.diffusion.Diffusion;
import dev.jgen.model.flow.Flow;
import dev.jgen.model.gan.Gan;
import dev.jgen.model.vae.Vae;
import dev.jgen.nn.Backend;
import dev.jgen.train.Adam;

import java.util.Map;
import java.util.Random;
import java.util.function.BiConsumer;

/**
 * The reference for the DSL's overhead: each workload's training written as a plain DJL loop around the
 * family's public objective (the same networks, loss and optimizer settings as the DSL's defaults), without
 * jgen's loop: no history, progress, probes, checkpoints or checks. DSL and these differ only in the loop.
 */
final class HandWrittenLoops {
    private HandWrittenLoops() {}

    /** One default VAE epoch (batches of 128), with jgen's Adam or, to isolate the optimizer's cost, DJL's. */
    static double vaeEpoch(Dataset data, boolean jgenAdam) {
        Adam adam = new Adam();
        Optimizer djlAdam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build();
        return run(data, Gen.vae().build(), (data.size() + 127) / 128, 128, (vae, x) -> {
            if (jgenAdam) {
                adam.minimise(() -> vae.objective(x), vae.networks(), 1e-3);
                return;
            }
            try (GradientCollector collector = Backend.engine().newGradientCollector()) {
                collector.backward(vae.objective(x).loss());
            }
            vae.networks().forEach((name, network) -> {
                for (Pair<String, Parameter> p : network.getParameters()) {
                    NDArray weight = p.getValue().getArray();
                    try (NDArray grad = weight.getGradient()) {
                        djlAdam.update(name + p.getKey(), weight, grad);
                    }
                }
            });
        });
    }

    /** The default DCGAN: D's step, then G's through a frozen D, Adam (0.5, 0.999) at 2e-3, the generator's average. */
    static double dcganSteps(Dataset data, int steps) {
        Adam adam = new Adam(0.5, 0.999);
        return run(data, Gen.gan().build(), steps, 64, (gan, x) -> {
            Map<String, Block> networks = gan.networks();
            Block discriminator = networks.get("discriminator");
            adam.minimise(() -> gan.discriminatorObjective(x, null), Map.of("discriminator", discriminator), 2e-3);
            discriminator.freezeParameters(true);
            adam.minimise(() -> gan.generatorObjective(x, null), Map.of("generator", networks.get("generator")), 2e-3);
            discriminator.freezeParameters(false);
            Ema.update(networks.get("generator"), networks.get("ema-generator"), Ema.decay(adam.updates("generator"), 0.999),
                    x.getManager());
        });
    }

    /** The default flow (RealNVP) with Adam at 1e-3. */
    static double flowSteps(Dataset data, int steps, int batch) {
        Adam adam = new Adam();
        return run(data, Gen.flow().build(), steps, batch, (flow, x) -> adam.minimise(() -> flow.objective(x), flow.networks(), 1e-3));
    }

    /** The default diffusion model (U-Net, 32 channels, cosine schedule) with Adam at 2e-3 and the network's average. */
    static double diffusionSteps(Dataset data, int steps) {
        Adam adam = new Adam();
        return run(data, Gen.diffusion().build(), steps, 64, (dm, x) -> {
            Map<String, Block> networks = dm.networks();
            adam.minimise(() -> dm.objective(x, null), Map.of("denoiser", networks.get("denoiser")), 2e-3);
            Ema.update(networks.get("denoiser"), networks.get("ema-denoiser"), Ema.decay(adam.updates("denoiser"), 0.999),
                    x.getManager());
        });
    }

    /**
     * Seconds for building {@code model}'s networks and {@code steps} steps on shuffled batches copied out
     * of one float array, each batch's arrays in a sub-manager closed after its step.
     */
    private static <M extends ModelBase> double run(Dataset data, M model, int steps, int batch, BiConsumer<M, NDArray> step) {
        float[] values = data.toFloatArray();
        int n = data.size();
        int features = values.length / n;
        long[] shape = data.exampleShape().getShape();
        int[] order = Dataset.permutation(n, new Random(0));
        long start = System.nanoTime();
        model.prepare(data);
        try (NDManager manager = Backend.newManager()) {
            for (int s = 0; s < steps; s++) {
                int from = (s * batch) % n;
                int size = Math.min(batch, n - from);
                float[] examples = new float[size * features];
                for (int i = 0; i < size; i++) {
                    System.arraycopy(values, order[from + i] * features, examples, i * features, features);
                }
                long[] dims = new long[shape.length + 1];
                dims[0] = size;
                System.arraycopy(shape, 0, dims, 1, shape.length);
                try (NDManager m = manager.newSubManager()) {
                    step.accept(model, m.create(examples, new Shape(dims)));
                }
            }
        } finally {
            Backend.inferenceMode();
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
