package dev.jgen.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The small vocabulary of blocks the model families are written in. */
public final class Layers {
    private Layers() {}

    /** Dense layers with ReLU between them and a linear output of {@code outputs} units. */
    public static SequentialBlock mlp(int[] hidden, int outputs) {
        return mlp(hidden, outputs, Activation::reluBlock);
    }

    /** Dense layers with the given activation between them and a linear output. */
    public static SequentialBlock mlp(int[] hidden, int outputs, Supplier<Block> activation) {
        SequentialBlock block = new SequentialBlock().add(Blocks.batchFlattenBlock());
        for (int units : hidden) {
            block.add(Linear.builder().setUnits(units).build()).add(activation.get());
        }
        return block.add(Linear.builder().setUnits(outputs).build());
    }

    /** LeakyReLU with slope 0.2, the usual choice in discriminators. */
    public static Block leakyRelu() {
        return Activation.leakyReluBlock(0.2f);
    }

    /** SiLU (x * sigmoid(x)) as a block. */
    public static LambdaBlock silu() {
        return new LambdaBlock(in -> new NDList(Ops.silu(in.singletonOrThrow())), "silu");
    }

    /**
     * A square convolution with {@code filters} outputs whose gradients are finite on every CPU (see
     * {@link ChannelPaddedConv2d}); use it in your own blocks too.
     */
    public static Conv2d conv(int filters, int kernel, int stride, int padding) {
        if (filters < 1 || kernel < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException(String.format(
                    "conv(filters %d, kernel %d, stride %d, padding %d): filters, kernel and stride must be at least 1, padding 0 or more",
                    filters, kernel, stride, padding));
        }
        return new ChannelPaddedConv2d(Conv2d.builder().setFilters(filters).setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride)).optPadding(new Shape(padding, padding)));
    }

    /** Nearest-neighbour 2x upsampling (DJL's transposed convolution is not implemented on PyTorch). */
    public static LambdaBlock upsample2x() {
        return new LambdaBlock(in -> new NDList(upsample2x(in.singletonOrThrow())), "upsample2x");
    }

    /**
     * (B, C, H, W) to (B, C, 2H, 2W), each value repeated in a 2x2 square: libtorch's nearest upsampling, one
     * pass each way. DJL's two {@code repeat}s took two passes forward and an index-add each backward.
     */
    public static NDArray upsample2x(NDArray x) {
        return UPSAMPLE.apply(x);
    }

    private static final ScriptFunction UPSAMPLE = new ScriptFunction("Upsample2x", "x: Tensor", "Tensor",
            "return torch.upsample_nearest2d(x, None, [2.0, 2.0])");

    /** Reshapes a (B, C*H*W) batch to (B, C, H, W). */
    public static LambdaBlock unflatten(long channels, long height, long width) {
        return new LambdaBlock(in -> {
            NDArray x = in.singletonOrThrow();
            return new NDList(x.reshape(x.getShape().get(0), channels, height, width));
        }, "unflatten");
    }

    /**
     * Runs {@code work} with {@code block}'s trainable weights kept out of gradient recording, e.g. a GAN's
     * discriminator while the generator learns through it: the backward pass then computes no gradients
     * for them. Weights that never train (running statistics) are left as they are.
     */
    public static <T> T withFrozen(Block block, Supplier<T> work) {
        List<Parameter> frozen = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                p.getValue().freeze(true);
                frozen.add(p.getValue());
            }
        }
        try {
            return work.get();
        } finally {
            frozen.forEach(parameter -> parameter.freeze(false));
        }
    }
}
