package dev.jgen.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * DJL's {@link Conv2d} that always hands libtorch multiples of 16 input and output channels. On AVX-512 CPUs
 * (measured on AMD Zen 5) libtorch 2.7.1's oneDNN pads channels to its block of 16 and does not always zero
 * the padding: with 2 threads it returned NaN input gradients in a few percent of backward passes when the
 * output-channel count was not a multiple of 16, and a U-Net with 8-channel layers gave NaN outputs in up to
 * half of its sampling runs (never with either channel count padded). Padding with zero filters and zero
 * input channels ourselves, and slicing the extra outputs off, leaves nothing for oneDNN to pad.
 *
 * <p>Parameters, their shapes and the saved format are exactly {@link Conv2d}'s, so checkpoints written
 * before this class existed load unchanged.
 */
public final class ChannelPaddedConv2d extends Conv2d {
    /** oneDNN's channel block on AVX-512. */
    static final int CHANNEL_BLOCK = 16;

    ChannelPaddedConv2d(Conv2d.Builder builder) {
        super(builder);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = store.getValue(weight, x.getDevice(), training);
        NDArray b = includeBias ? store.getValue(bias, x.getDevice(), training) : null;
        return new NDList(convolve(x, w, b, stride, padding));
    }

    /**
     * A convolution of {@code x} (B, C, H, W) with {@code weight} (O, C, k, k) and {@code bias} (O, or null)
     * whose values and gradients are finite on every CPU, for any C and O. Differentiable in all three.
     */
    public static NDArray convolve(NDArray x, NDArray weight, NDArray bias, Shape stride, Shape padding) {
        NDManager batch = x.getManager();
        long missingInputs = missing(weight.getShape().get(1));
        if (missingInputs > 0) {
            x = withZeros(x, 1, missingInputs, batch);
            weight = withZeros(weight, 1, missingInputs, batch);
        }
        long outputs = weight.getShape().get(0);
        long missingOutputs = missing(outputs);
        if (missingOutputs == 0) {
            return Conv2d.conv2d(x, weight, bias, stride, padding, new Shape(1, 1)).singletonOrThrow();
        }
        NDArray paddedWeight = withZeros(weight, 0, missingOutputs, batch);
        NDArray paddedBias = bias == null ? null : withZeros(bias, 0, missingOutputs, batch);
        NDArray y = Conv2d.conv2d(x, paddedWeight, paddedBias, stride, padding, new Shape(1, 1)).singletonOrThrow();
        return y.get(new NDIndex(":, 0:{}", outputs));
    }

    /** {@code array} with {@code count} slices of zeros appended along {@code axis}, in the batch's manager. */
    private static NDArray withZeros(NDArray array, int axis, long count, NDManager batch) {
        long[] dims = array.getShape().getShape().clone(); // Shape hands out its own array
        dims[axis] = count;
        return Ops.inBatch(array.concat(batch.zeros(new Shape(dims), array.getDataType()), axis), batch);
    }

    private static long missing(long channels) {
        return (CHANNEL_BLOCK - channels % CHANNEL_BLOCK) % CHANNEL_BLOCK;
    }
}
