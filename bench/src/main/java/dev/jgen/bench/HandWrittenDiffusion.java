package dev.jgen.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.jgen.data.Dataset;
import dev.jgen.model.Ema;
import dev.jgen.model.diffusion.NoiseSchedule;
import dev.jgen.model.diffusion.UNet;
import dev.jgen.nn.Ops;
import dev.jgen.train.Adam;

import java.util.Random;

/**
 * The DSL's diffusion step written directly against DJL: the same U-Net (32 channels, no attention),
 * cosine schedule over 1,000 steps, noise-prediction loss, Adam at 2e-3 and the moving average, without
 * jgen's loop, history, probes or checks.
 */
final class HandWrittenDiffusion {
    private static final int BATCH = 64;
    private static final int TIMESTEPS = 1000;

    private HandWrittenDiffusion() {}

    /** Seconds for {@code steps} steps on {@code images} (N x 1 x 28 x 28 in [0, 1]). */
    static double steps(float[] images, int n, int steps) {
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager manager = engine.newBaseManager()) {
            UNet network = new UNet(1, 32, false, 0);
            UNet average = new UNet(1, 32, false, 0);
            network.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28), new Shape(1));
            average.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28), new Shape(1));
            average.freezeParameters(true);
            Ema.update(network, average, 0, manager);
            NoiseSchedule schedule = NoiseSchedule.cosine(TIMESTEPS);
            ParameterStore store = new ParameterStore(manager, false);
            Adam adam = new Adam();
            Random random = new Random(0);
            int[] order = Dataset.permutation(n, random);
            long start = System.nanoTime();
            for (int s = 0; s < steps; s++) {
                float[] batch = new float[BATCH * 784];
                for (int i = 0; i < BATCH; i++) {
                    System.arraycopy(images, order[(s * BATCH + i) % n] * 784, batch, i * 784, 784);
                }
                int[] t = new int[BATCH];
                float[] level = new float[BATCH];
                for (int i = 0; i < BATCH; i++) {
                    t[i] = random.nextInt(TIMESTEPS);
                    level[i] = t[i];
                }
                try (NDManager m = manager.newSubManager()) {
                    NDArray x0 = m.create(batch, new Shape(BATCH, 1, 28, 28)).mul(Ops.scalar(m, 2)).sub(Ops.scalar(m, 1));
                    NDArray noise = m.randomNormal(x0.getShape());
                    NDArray noisy = schedule.addNoise(x0, noise, t);
                    try (GradientCollector collector = engine.newGradientCollector()) {
                        NDArray predicted = network.forward(store, new NDList(noisy, m.create(level)), true).singletonOrThrow();
                        collector.backward(predicted.sub(noise).square().mean());
                    }
                    adam.update("denoiser", network.getParameters(), 2e-3);
                    Ema.update(network, average, Ema.decay(s + 1, 0.999), manager);
                }
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }
}
