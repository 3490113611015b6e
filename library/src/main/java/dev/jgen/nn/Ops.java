package dev.jgen.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
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

    /**
     * log(1 + e^x), stable for any x: libtorch's fused op (x itself above 20), forward and backward in one
     * pass each; built from max, abs, exp and log it took 3-4x as long, 5 % of a VAE step.
     */
    public static NDArray softplus(NDArray x) {
        return Activation.softPlus(x);
    }

    /**
     * Moves {@code result} into {@code batch}. The result of an op whose first operand is a parameter lands
     * in the model's manager, where it would live as long as the model (one leaked array per step).
     */
    public static NDArray inBatch(NDArray result, NDManager batch) {
        result.attach(batch);
        return result;
    }

    /** 1 / (1 + e^-x) as libtorch's fused op, which DJL reaches only through its engine-internal interface. */
    public static NDArray sigmoid(NDArray x) {
        return x.getNDArrayInternal().sigmoid();
    }

    /** x * sigmoid(x), the smooth activation diffusion networks use: libtorch's fused op, one pass each way. */
    public static NDArray silu(NDArray x) {
        return SILU.apply(x);
    }

    private static final ScriptFunction SILU = new ScriptFunction("Silu", "x: Tensor", "Tensor", "return torch.silu(x)");

    /** {@code x} limited to [lo, hi], with the gradient passing where it is inside. */
    public static NDArray clamp(NDArray x, double lo, double hi, NDManager manager) {
        return x.maximum(scalar(manager, lo)).minimum(scalar(manager, hi));
    }
}
