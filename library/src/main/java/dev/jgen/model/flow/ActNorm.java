package dev.jgen.model.flow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

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
        float[] values = batch.toFloatArray();
        int n = values.length / (int) features;
        float[] shift = new float[(int) features];
        float[] scale = new float[(int) features];
        for (int f = 0; f < features; f++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += values[i * (int) features + f];
            }
            mean /= n;
            double var = 0;
            for (int i = 0; i < n; i++) {
                double d = values[i * (int) features + f] - mean;
                var += d * d;
            }
            double std = Math.sqrt(var / n) + 1e-6;
            scale[f] = (float) -Math.log(std);
            shift[f] = (float) (-mean / std);
        }
        loc.getArray().set(shift);
        logScale.getArray().set(scale);
    }

    // An op whose first operand is a parameter puts its result in the model's manager, where it would
    // live as long as the model: such results move to the batch's manager at once.

    NDArray forward(NDArray x) {
        return x.mul(into(x, logScale.getArray().exp())).add(loc.getArray());
    }

    NDArray inverse(NDArray y) {
        return y.sub(loc.getArray()).mul(into(y, logScale.getArray().neg().exp()));
    }

    /** The same for every example: the sum of the log-scales, in {@code like}'s manager. */
    NDArray logDet(NDArray like) {
        return into(like, logScale.getArray().sum());
    }

    private static NDArray into(NDArray owner, NDArray result) {
        result.attach(owner.getManager());
        return result;
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
