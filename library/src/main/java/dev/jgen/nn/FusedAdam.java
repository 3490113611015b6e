package dev.jgen.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.IValue;

import java.util.List;

/**
 * One Adam step for all of a loss's weights in a single native call: the gradients by
 * {@code torch.autograd.grad} (straight into fresh buffers, never accumulated into {@code .grad}, so nothing
 * needs zeroing afterwards), a finite-gradient test, and libtorch's fused CPU kernel
 * ({@code torch._fused_adam_}, one pass over weight, gradient and moments). DJL's own update runs a dozen
 * separate passes per parameter and is bound by memory traffic; DJL has no binding for the fused kernel,
 * so a {@link ScriptFunction} calls it. PyTorch's formula differs from DJL's only in where epsilon sits
 * (added to the bias-corrected root).
 */
public final class FusedAdam {
    private static final ScriptFunction FUNCTION = new ScriptFunction("AdamStep", "loss: Tensor, weights: List[Tensor], "
            + "means: List[Tensor], variances: List[Tensor], steps: List[float], learning_rate: float, beta1: float, beta2: float, "
            + "epsilon: float", "int", """
            gradients = torch.autograd.grad([loss], weights, allow_unused=True)
            grad_was_enabled = torch.is_grad_enabled()
            torch.set_grad_enabled(False)
            used = annotate(List[int], [])
            params = annotate(List[Tensor], [])
            grads = annotate(List[Tensor], [])
            exp_avgs = annotate(List[Tensor], [])
            exp_avg_sqs = annotate(List[Tensor], [])
            state_steps = annotate(List[float], [])
            for i in range(len(weights)):
              grad = gradients[i]
              if grad is not None:
                used.append(i)
                params.append(weights[i])
                grads.append(grad.contiguous())  # the kernel walks memory in order; a gradient may be a broadcast view
                exp_avgs.append(means[i])
                exp_avg_sqs.append(variances[i])
                state_steps.append(steps[i])
            not_finite = -1
            if len(grads) > 0:
              if not bool(torch.isfinite(torch.stack(torch._foreach_norm(grads, 2))).all()):
                for k in range(len(grads)):
                  if not_finite < 0 and not bool(torch.isfinite(grads[k]).all()):
                    not_finite = used[k]
              if not_finite < 0:
                torch._fused_adam_(params, grads, exp_avgs, exp_avg_sqs, annotate(List[Tensor], []),
                    torch.tensor(state_steps).unbind(0), lr=learning_rate, beta1=beta1, beta2=beta2,
                    weight_decay=0.0, eps=epsilon, amsgrad=False, maximize=False)
            torch.set_grad_enabled(grad_was_enabled)
            # the lists are read after the in-place call: the graph optimiser drops a call whose lists nobody reads
            return not_finite + 0 * (len(params) + len(exp_avgs) + len(exp_avg_sqs))
            """);

    private FusedAdam() {}

    /**
     * Back-propagates {@code loss} (recorded under a gradient collector) to {@code weights} and updates each
     * weight with its moments ({@code means} and {@code variances}, same order and shapes) as update number
     * {@code steps[i]} (from 1) of PyTorch's Adam. Weights the loss does not depend on are left alone. When
     * some gradient holds NaN or infinity nothing changes.
     *
     * @return -1, or the index of the first weight whose gradient is not finite (and nothing was updated)
     */
    public static int step(NDArray loss, List<NDArray> weights, List<NDArray> means, List<NDArray> variances, double[] steps,
                           double learningRate, double beta1, double beta2, double epsilon) {
        try (IValue notFinite = FUNCTION.call(IValue.from((PtNDArray) loss), list(weights), list(means), list(variances),
                IValue.listFrom(steps), IValue.from(learningRate), IValue.from(beta1), IValue.from(beta2), IValue.from(epsilon))) {
            return (int) notFinite.toLong();
        }
    }

    private static IValue list(List<NDArray> arrays) {
        return IValue.listFrom(arrays.stream().map(a -> (PtNDArray) a).toArray(PtNDArray[]::new));
    }
}
