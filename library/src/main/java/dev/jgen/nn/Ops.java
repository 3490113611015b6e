package dev.jgen.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

/** Small differentiable helpers the model files share. */
public final class Ops {
    private Ops() {}

    /**
     * A scalar owned by the engine. {@code NDArray.mul(Number)} and friends wrap a Java buffer and close
     * it at once, so backward may read freed memory; arrays made here live until their manager closes.
     */
    public static NDArray scalar(NDManager manager, double value) {
        return manager.full(new Shape(), (float) value);
    }

    /** log(1 + e^x), stable for any x: max(x, 0) + log(1 + e^-|x|). */
    public static NDArray softplus(NDArray x, NDManager manager) {
        return x.maximum(scalar(manager, 0)).add(x.abs().neg().exp().add(scalar(manager, 1)).log());
    }

    /**
     * Moves {@code result} into {@code batch}. The result of an op whose first operand is a parameter lands
     * in the model's manager, where it would live as long as the model (one leaked array per step).
     */
    public static NDArray inBatch(NDArray result, NDManager batch) {
        result.attach(batch);
        return result;
    }

    /** x * sigmoid(x), the smooth activation diffusion networks use. */
    public static NDArray silu(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }

    /** {@code x} limited to [lo, hi], with the gradient passing where it is inside. */
    public static NDArray clamp(NDArray x, double lo, double hi, NDManager manager) {
        return x.maximum(scalar(manager, lo)).minimum(scalar(manager, hi));
    }
}
