package dev.jgen.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

/**
 * Are convolution gradients finite on this CPU? On AVX-512 machines (AMD Zen 5) libtorch 2.7.1's oneDNN
 * returns NaN input gradients in a few percent of backward passes of convolutions whose output-channel count
 * is not a multiple of 16 (2+ threads). jgen's {@link Layers#conv} avoids it; this counts the bad passes.
 */
public final class ConvGradientCheck {
    /** The shape that showed the fault: a batch of 64 feature maps of 32 channels, 28x28. */
    public static final Shape INPUT = new Shape(64, 32, 28, 28);

    private ConvGradientCheck() {}

    /** libtorch's own 3-channel convolution, without jgen's channel padding: the shape the fault hits. */
    public static Block unpaddedConv() {
        return Conv2d.builder().setFilters(3).setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).build();
    }

    /** Backward passes, out of {@code passes}, with a NaN or infinite input or weight gradient. */
    public static int nonFinitePasses(Block conv, Shape input, int passes) {
        int bad = 0;
        try (NDManager m = Backend.newManager()) {
            conv.initialize(m, DataType.FLOAT32, input);
            ParameterStore store = new ParameterStore(m, false);
            for (int pass = 0; pass < passes; pass++) {
                try (NDManager step = m.newSubManager(); GradientCollector collector = Backend.engine().newGradientCollector()) {
                    NDArray x = step.randomNormal(input);
                    x.setRequiresGradient(true);
                    NDArray y = conv.forward(store, new NDList(x), true).singletonOrThrow();
                    collector.backward(y.mul(step.randomNormal(y.getShape())).sum());
                    boolean finite = allFinite(x.getGradient());
                    for (Parameter p : conv.getParameters().values()) {
                        if (p.requiresGradient()) {
                            NDArray grad = p.getArray().getGradient();
                            finite &= allFinite(grad);
                            grad.subi(grad);
                        }
                    }
                    bad += finite ? 0 : 1;
                }
            }
        }
        return bad;
    }

    private static boolean allFinite(NDArray a) {
        return !a.isNaN().any().getBoolean() && !a.isInfinite().any().getBoolean();
    }
}
