package dev.jgen.model.flow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.jgen.nn.FeatureMoments;
import dev.jgen.nn.Ops;

/**
 * Activation normalisation (Glow): y = x * exp(logScale) + loc per feature, with loc and logScale set
 * from the first batch so that its outputs have zero mean and unit variance.
 */
final class ActNorm extends AbstractBlock {
    private final long features;
    private final Parameter loc;
    private final Parameter logScale;

    ActNorm(long features) {
        this.features = features;
        this.loc = addParameter(Parameter.builder().setName("loc").setType(Parameter.Type.BIAS).optShape(new Shape(features)).build());
        this.logScale = addParameter(Parameter.builder().setName("logScale").setType(Parameter.Type.BIAS).optShape(new Shape(features)).build());
    }

    /** Sets loc and logScale from a batch (B, features), before the first training step. */
    void initialiseFrom(NDArray batch) {
        FeatureMoments moments = FeatureMoments.of(batch.toFloatArray(), (int) features);
        float[] shift = new float[(int) features];
        float[] scale = new float[(int) features];
        for (int f = 0; f < features; f++) {
            double std = moments.std()[f] + 1e-6;
            scale[f] = (float) -Math.log(std);
            shift[f] = (float) (-moments.mean()[f] / std);
        }
        loc.getArray().set(shift);
        logScale.getArray().set(scale);
    }

    NDArray forward(NDArray x) {
        return x.mul(Ops.inBatch(logScale.getArray().exp(), x.getManager())).add(loc.getArray());
    }

    NDArray inverse(NDArray y) {
        return y.sub(loc.getArray()).mul(Ops.inBatch(logScale.getArray().neg().exp(), y.getManager()));
    }

    /** The same for every example: the sum of the log-scales, in {@code like}'s manager. */
    NDArray logDet(NDArray like) {
        return Ops.inBatch(logScale.getArray().sum(), like.getManager());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(inputs.singletonOrThrow()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
