package dev.jgen.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Per-example losses, summed over features. Written from ops with engine-owned scalars: DJL's own
 * losses use {@code op(Number)}, whose scalar the GC may free before backward reads it.
 */
public final class Losses {
    private Losses() {}

    /**
     * Negative Bernoulli log-likelihood of {@code targets} in [0, 1] under {@code logits}, both (B, D):
     * softplus(l) - l*x, stable for any logit.
     */
    public static NDArray bernoulliNll(NDArray logits, NDArray targets) {
        return Ops.softplus(logits).sub(logits.mul(targets)).sum(new int[] {1});
    }

    /** Negative log-density of {@code x} under N(mean, exp(logVar)), all (B, D). */
    public static NDArray gaussianNll(NDArray mean, NDArray logVar, NDArray x, NDManager m) {
        NDArray half = Ops.scalar(m, 0.5);
        NDArray log2pi = Ops.scalar(m, Math.log(2 * Math.PI));
        NDArray squared = x.sub(mean).square().div(logVar.exp());
        return squared.add(logVar).add(log2pi).mul(half).sum(new int[] {1});
    }

    /** KL(N(mu, exp(logVar)) || N(0, I)) per example, both (B, L). */
    public static NDArray gaussianKl(NDArray mu, NDArray logVar, NDManager m) {
        NDArray half = Ops.scalar(m, 0.5);
        NDArray one = Ops.scalar(m, 1);
        return mu.square().add(logVar.exp()).sub(one).sub(logVar).mul(half).sum(new int[] {1});
    }
}
