package dev.jgen.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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

    /** The default VAE (batches of 128), with jgen's Adam or, to isolate the optimizer's cost, DJL's. */
    static Loop<Vae> vae(Dataset data, boolean jgenAdam) {
        Adam adam = new Adam();
        Optimizer djlAdam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build();
        return new Loop<>(data, Gen.vae().build(), 128, (vae, x) -> {
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

    /** The default DCGAN (batches of 64): D's step, then G's through a frozen D, Adam (0.5, 0.999) at 2e-3, the generator's average. */
    static Loop<Gan> dcgan(Dataset data) {
        Adam adam = new Adam(0.5, 0.999);
        return new Loop<>(data, Gen.gan().build(), 64, (gan, x) -> {
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
    static Loop<Flow> flow(Dataset data, int batch) {
        Adam adam = new Adam();
        return new Loop<>(data, Gen.flow().build(), batch, (flow, x) -> adam.minimise(() -> flow.objective(x), flow.networks(), 1e-3));
    }

    /** The default diffusion model (U-Net, 32 channels, cosine schedule, batches of 64) with Adam at 2e-3 and the network's average. */
    static Loop<Diffusion> diffusion(Dataset data) {
        Adam adam = new Adam();
        return new Loop<>(data, Gen.diffusion().build(), 64, (dm, x) -> {
            Map<String, Block> networks = dm.networks();
            adam.minimise(() -> dm.objective(x, null), Map.of("denoiser", networks.get("denoiser")), 2e-3);
            Ema.update(networks.get("denoiser"), networks.get("ema-denoiser"), Ema.decay(adam.updates("denoiser"), 0.999),
                    x.getManager());
        });
    }

    /**
     * One model trained by a plain loop on shuffled batches ({@link Dataset#batch}), each batch's arrays in a
     * sub-manager closed after its step; {@link #train} goes on where the previous call stopped.
     */
    static final class Loop<M extends ModelBase> {
        private final Dataset data;
        private final M model;
        private final int batch;
        private final BiConsumer<M, NDArray> step;
        private final int[] order;
        private long done;

        Loop(Dataset data, M model, int batch, BiConsumer<M, NDArray> step) {
            this.data = data;
            this.model = model;
            this.batch = batch;
            this.step = step;
            this.order = Dataset.permutation(data.size(), new Random(0));
        }

        /** Seconds for {@code steps} more steps; the first call also builds the networks, as a DSL fit does. */
        double train(long steps) {
            int n = data.size();
            int stepsPerEpoch = (n + batch - 1) / batch;
            long start = System.nanoTime();
            if (done == 0) {
                model.prepare(data);
            }
            try (NDManager manager = Backend.newManager()) {
                for (long s = 0; s < steps; s++, done++) {
                    int from = (int) (done % stepsPerEpoch) * batch;
                    try (NDManager m = manager.newSubManager()) {
                        step.accept(model, data.batch(m, from, Math.min(n, from + batch), order));
                    }
                }
            } finally {
                Backend.inferenceMode();
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }
}
