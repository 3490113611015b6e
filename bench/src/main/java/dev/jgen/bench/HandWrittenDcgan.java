package dev.jgen.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.jgen.data.Dataset;
import dev.jgen.model.Ema;
import dev.jgen.nn.Layers;
import dev.jgen.nn.Ops;
import dev.jgen.train.Adam;

import java.util.Random;

/**
 * The DSL's DCGAN step written directly against DJL: the same networks, non-saturating loss, Adam
 * (0.5, 0.999) at 2e-3, and the generator's moving average, without jgen's loop, history or checks.
 */
final class HandWrittenDcgan {
    private static final int BATCH = 64;
    private static final int LATENT = 64;

    private HandWrittenDcgan() {}

    /** Seconds for {@code steps} steps on {@code images} (N x 1 x 28 x 28 in [0, 1]). */
    static double steps(float[] images, int n, int steps) {
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager manager = engine.newBaseManager()) {
            SequentialBlock generator = generator();
            SequentialBlock average = generator();
            SequentialBlock discriminator = new SequentialBlock()
                    .add(Layers.conv(32, 4, 2, 1)).add(Layers.leakyRelu())
                    .add(Layers.conv(64, 4, 2, 1)).add(Layers.leakyRelu())
                    .add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(1).build());
            generator.initialize(manager, DataType.FLOAT32, new Shape(1, LATENT));
            average.initialize(manager, DataType.FLOAT32, new Shape(1, LATENT));
            average.freezeParameters(true);
            discriminator.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            Ema.update(generator, average, 0, manager);
            ParameterStore store = new ParameterStore(manager, false);
            Adam adam = new Adam(0.5, 0.999);
            int[] order = Dataset.permutation(n, new Random(0));
            long start = System.nanoTime();
            for (int s = 0; s < steps; s++) {
                float[] batch = new float[BATCH * 784];
                for (int i = 0; i < BATCH; i++) {
                    System.arraycopy(images, order[(s * BATCH + i) % n] * 784, batch, i * 784, 784);
                }
                try (NDManager m = manager.newSubManager()) {
                    NDArray real = m.create(batch, new Shape(BATCH, 1, 28, 28));
                    try (GradientCollector collector = engine.newGradientCollector()) {
                        NDArray fake = forward(generator, store, m.randomNormal(new Shape(BATCH, LATENT))).stopGradient();
                        NDArray loss = Ops.softplus(forward(discriminator, store, real).neg()).mean()
                                .add(Ops.softplus(forward(discriminator, store, fake)).mean());
                        collector.backward(loss);
                    }
                    adam.update("discriminator", discriminator.getParameters(), 2e-3);
                    discriminator.freezeParameters(true);
                    try (GradientCollector collector = engine.newGradientCollector()) {
                        NDArray logits = forward(discriminator, store, forward(generator, store, m.randomNormal(new Shape(BATCH, LATENT))));
                        collector.backward(Ops.softplus(logits.neg()).mean());
                    }
                    discriminator.freezeParameters(false);
                    adam.update("generator", generator.getParameters(), 2e-3);
                    Ema.update(generator, average, Ema.decay(s + 1, 0.999), manager);
                }
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private static SequentialBlock generator() {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(64 * 49).build()).add(BatchNorm.builder().build()).add(Activation.reluBlock())
                .add(Layers.unflatten(64, 7, 7))
                .add(Layers.upsample2x()).add(Layers.conv(32, 3, 1, 1)).add(BatchNorm.builder().build()).add(Activation.reluBlock())
                .add(Layers.upsample2x()).add(Layers.conv(1, 3, 1, 1)).add(Activation.sigmoidBlock());
    }

    private static NDArray forward(SequentialBlock block, ParameterStore store, NDArray x) {
        return block.forward(store, new NDList(x), true).singletonOrThrow();
    }
}
