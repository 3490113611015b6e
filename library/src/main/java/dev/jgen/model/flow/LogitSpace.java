package dev.jgen.model.flow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.jgen.nn.Ops;

/**
 * Where a flow models images (RealNVP): pixels in [0, 1], optionally dequantised, are squeezed into
 * [ALPHA, 1 - ALPHA] and sent through a logit, so the flow never has to reach the infinities at 0 and 1.
 */
final class LogitSpace {
    /** Margin of the logit transform: pixels map into [ALPHA, 1 - ALPHA]. */
    private static final double ALPHA = 0.05;

    private LogitSpace() {}

    /**
     * Flat images (B, D) into the flow's space: optionally dequantised ((255 x + u) / 256, u uniform),
     * then y = logit(ALPHA + (1 - 2 ALPHA) x). Returns y and log|dy/dx| per example.
     */
    static NDArray[] into(NDArray flat, boolean dequantise) {
        NDManager m = flat.getManager();
        NDArray x = flat;
        if (dequantise) {
            x = x.mul(Ops.scalar(m, 255)).add(m.randomUniform(0f, 1f, x.getShape())).div(Ops.scalar(m, 256));
        }
        NDArray p = x.mul(Ops.scalar(m, 1 - 2 * ALPHA)).add(Ops.scalar(m, ALPHA));
        NDArray oneMinusP = Ops.scalar(m, 1).sub(p);
        NDArray y = p.log().sub(oneMinusP.log());
        NDArray logDet = p.log().add(oneMinusP.log()).neg().add(Ops.scalar(m, Math.log(1 - 2 * ALPHA))).sum(new int[] {1});
        return new NDArray[] {y, logDet};
    }

    /** Back to pixels through the inverse logit, clipped to [0, 1] and shaped {@code shape}. */
    static NDArray outOf(NDArray y, Shape shape) {
        NDManager m = y.getManager();
        NDArray x = Ops.sigmoid(y).sub(Ops.scalar(m, ALPHA)).div(Ops.scalar(m, 1 - 2 * ALPHA));
        return Ops.clamp(x, 0, 1, m).reshape(shape);
    }
}
