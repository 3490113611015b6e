package dev.jgen.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import dev.jgen.nn.Backend;
import dev.jgen.nn.ChannelPaddedConv2d;

import java.util.function.Function;

/**
 * What padding channels to multiples of 16 costs: one convolution's forward and backward pass, with
 * jgen's padded convolution and with DJL's plain one, for the layers jgen's image models are made of.
 */
final class ConvPaddingCost {
    /** A convolution layer as jgen's models use it, batch 64. */
    record Layer(String where, int inputs, int outputs, int kernel, int stride, int size) {
        String describe() {
            return String.format("%s: %d -> %d channels, %dx%d kernel, stride %d, %dx%d", where, inputs, outputs, kernel, kernel,
                    stride, size, size);
        }
    }

    static final Layer[] LAYERS = {
            new Layer("DCGAN discriminator, first", 1, 32, 4, 2, 28),
            new Layer("DCGAN generator, last", 32, 1, 3, 1, 28),
            new Layer("U-Net, in", 1, 32, 3, 1, 28),
            new Layer("U-Net, inner (no padding needed)", 32, 32, 3, 1, 28),
            new Layer("U-Net, out", 32, 1, 3, 1, 28),
            new Layer("colour images, last", 32, 3, 3, 1, 32),
            new Layer("small U-Net (channels(8)), inner", 8, 8, 3, 1, 28),
    };

    private static final int BATCH = 64;
    private static final int PASSES = 30;

    private ConvPaddingCost() {}

    /** Milliseconds per forward + backward pass: {plain, padded}, measured in turns. */
    static double[] millis(Layer layer) {
        try (NDManager m = Backend.newManager()) {
            NDArray x = m.randomNormal(new Shape(BATCH, layer.inputs(), layer.size(), layer.size()));
            NDArray w = m.randomNormal(new Shape(layer.outputs(), layer.inputs(), layer.kernel(), layer.kernel())).mul(0.1f);
            NDArray b = m.zeros(new Shape(layer.outputs()));
            w.setRequiresGradient(true);
            b.setRequiresGradient(true);
            Shape stride = new Shape(layer.stride(), layer.stride());
            Shape padding = new Shape((layer.kernel() - 1) / 2, (layer.kernel() - 1) / 2);
            Function<NDArray, NDArray> plain = in -> Conv2d.conv2d(in, w, b, stride, padding, new Shape(1, 1)).singletonOrThrow();
            Function<NDArray, NDArray> padded = in -> ChannelPaddedConv2d.convolve(in, w, b, stride, padding);
            passes(x, plain, 5);
            passes(x, padded, 5);
            double plainSeconds = 0;
            double paddedSeconds = 0;
            for (int turn = 0; turn < 3; turn++) {
                plainSeconds += passes(x, plain, PASSES / 3);
                paddedSeconds += passes(x, padded, PASSES / 3);
            }
            return new double[] {1000 * plainSeconds / PASSES, 1000 * paddedSeconds / PASSES};
        }
    }

    /** Seconds for {@code count} passes; each pass works on its own copy of {@code x}, so its arrays are freed with it. */
    private static double passes(NDArray x, Function<NDArray, NDArray> convolution, int count) {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            try (NDManager pass = x.getManager().newSubManager(); GradientCollector collector = Backend.engine().newGradientCollector()) {
                NDArray input = x.duplicate();
                input.attach(pass);
                input.setRequiresGradient(true);
                collector.backward(convolution.apply(input).sum());
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
