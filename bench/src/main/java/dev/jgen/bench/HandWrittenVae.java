package dev.jgen.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import dev.jgen.data.Dataset;
import dev.jgen.train.Adam;

import java.util.Random;

/**
 * The reference for the DSL's overhead: the default VAE's epoch written directly against DJL, the way
 * a user without jgen would (one sub-manager per batch, no history, no progress), with DJL's own Adam or,
 * to isolate the loop's cost from the optimizer's, with jgen's.
 */
final class HandWrittenVae {
    private HandWrittenVae() {}

    /** Seconds for one epoch over {@code images} (N x 784 in [0, 1]). */
    static double epoch(float[] images, int n, boolean jgenAdam) {
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager manager = engine.newBaseManager()) {
            SequentialBlock encoder = mlp(784, 512, 256, 32);
            SequentialBlock decoder = mlp(16, 256, 512, 784);
            encoder.initialize(manager, DataType.FLOAT32, new Shape(1, 784));
            decoder.initialize(manager, DataType.FLOAT32, new Shape(1, 16));
            Optimizer djlAdam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build();
            Adam adam = new Adam();
            ParameterStore store = new ParameterStore(manager, false);
            int[] order = Dataset.permutation(n, new Random(0));
            long start = System.nanoTime();
            for (int from = 0; from < n; from += 128) {
                int to = Math.min(n, from + 128);
                float[] batch = new float[(to - from) * 784];
                for (int i = from; i < to; i++) {
                    System.arraycopy(images, order[i] * 784, batch, (i - from) * 784, 784);
                }
                try (NDManager m = manager.newSubManager()) {
                    NDArray x = m.create(batch, new Shape(to - from, 784));
                    try (GradientCollector collector = engine.newGradientCollector()) {
                        NDList stats = encoder.forward(store, new NDList(x), true).singletonOrThrow().split(2, 1);
                        NDArray mu = stats.get(0);
                        NDArray logVar = stats.get(1).maximum(m.full(new Shape(), -12f)).minimum(m.full(new Shape(), 6f));
                        NDArray half = m.full(new Shape(), 0.5f);
                        NDArray one = m.full(new Shape(), 1f);
                        NDArray z = mu.add(logVar.mul(half).exp().mul(m.randomNormal(mu.getShape())));
                        NDArray logits = decoder.forward(store, new NDList(z), true).singletonOrThrow();
                        NDArray softplus = Activation.softPlus(logits);
                        NDArray recon = softplus.sub(logits.mul(x)).sum(new int[] {1});
                        NDArray kl = mu.square().add(logVar.exp()).sub(one).sub(logVar).mul(half).sum(new int[] {1});
                        collector.backward(recon.add(kl).mean());
                    }
                    if (jgenAdam) {
                        adam.update("encoder", encoder.getParameters(), 1e-3);
                        adam.update("decoder", decoder.getParameters(), 1e-3);
                    } else {
                        step(djlAdam, encoder, "encoder");
                        step(djlAdam, decoder, "decoder");
                    }
                }
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private static void step(Optimizer adam, SequentialBlock block, String prefix) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray weight = p.getValue().getArray();
            try (NDArray grad = weight.getGradient()) {
                adam.update(prefix + p.getKey(), weight, grad);
            }
        }
    }

    private static SequentialBlock mlp(int... widths) {
        SequentialBlock block = new SequentialBlock();
        for (int i = 1; i < widths.length; i++) {
            block.add(Linear.builder().setUnits(widths[i]).build());
            if (i < widths.length - 1) {
                block.add(Activation.reluBlock());
            }
        }
        return block;
    }
}
