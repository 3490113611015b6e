package dev.jgen.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * A dense or convolutional layer whose weight is divided by its largest singular value (Miyato et
 * al., 2018), which keeps a discriminator 1-Lipschitz per layer and its training steady. The singular
 * value comes from one power-iteration step per training forward, with the vector u kept between steps
 * (and in checkpoints).
 */
public final class SpectralNorm extends AbstractBlock {
    private static final double EPSILON = 1e-12;

    private final long outputs;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final Parameter weight;
    private final Parameter bias;
    private final Parameter u;

    private SpectralNorm(long outputs, int kernel, int stride, int padding) {
        this.outputs = outputs;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build());
        this.bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS).optShape(new Shape(outputs)).build());
        this.u = addParameter(Parameter.builder().setName("u").setType(Parameter.Type.OTHER).optRequiresGrad(false)
                .optInitializer(new NormalInitializer(1f)).optShape(new Shape(outputs)).build());
    }

    /** A dense layer with {@code units} outputs. */
    public static SpectralNorm linear(long units) {
        return new SpectralNorm(units, 0, 1, 0);
    }

    /** A square convolution with {@code filters} outputs. */
    public static SpectralNorm conv(long filters, int kernel, int stride, int padding) {
        return new SpectralNorm(filters, kernel, stride, padding);
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        weight.setShape(kernel == 0 ? new Shape(outputs, in.size() / in.get(0))
                : new Shape(outputs, in.get(1), kernel, kernel));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        if (kernel == 0) {
            return new Shape[] {new Shape(in.get(0), outputs)};
        }
        long h = (in.get(2) + 2L * padding - kernel) / stride + 1;
        long w = (in.get(3) + 2L * padding - kernel) / stride + 1;
        return new Shape[] {new Shape(in.get(0), outputs, h, w)};
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDManager m = x.getManager();
        NDArray w = store.getValue(weight, x.getDevice(), training);
        NDArray b = store.getValue(bias, x.getDevice(), training);
        NDArray matrix = Ops.inBatch(w.reshape(outputs, -1), m);
        NDArray fixed = Ops.inBatch(matrix.stopGradient(), m);
        NDArray uVec = Ops.inBatch(u.getArray().duplicate(), m);
        NDArray v = normalised(Ops.inBatch(fixed.transpose().matMul(uVec), m), m);
        NDArray uNext = normalised(fixed.matMul(v), m);
        if (training) {
            u.getArray().set(uNext.toFloatArray());
        }
        NDArray sigma = uNext.matMul(matrix.matMul(v));
        NDArray normalisedWeight = Ops.inBatch(w.div(sigma), m);
        if (kernel == 0) {
            return Linear.linear(x.reshape(x.getShape().get(0), -1), normalisedWeight, b);
        }
        return new NDList(ChannelPaddedConv2d.convolve(x, normalisedWeight, b, new Shape(stride, stride), new Shape(padding, padding)));
    }

    private static NDArray normalised(NDArray v, NDManager m) {
        return v.div(v.norm().add(Ops.scalar(m, EPSILON)));
    }
}
