package dev.jgen.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import java.util.HashMap;
import java.util.Map;

/**
 * Adam whose moment estimates belong to jgen (DJL keeps its own private), so they can be saved with
 * a checkpoint. Each update is one fused libtorch call per parameter, which also zeroes the gradient.
 */
public final class Adam {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;
    private static final float NO_CLIPPING = -1f;

    private final Map<String, NDArray[]> moments = new HashMap<>();
    private long updates;

    /** Starts one optimizer step; call {@link #update} for each network after it. */
    public void begin() {
        updates++;
    }

    /**
     * Updates every parameter of one network that has a gradient. {@code network} keeps the state of
     * networks whose parameter names coincide apart.
     */
    public void update(String network, Iterable<Pair<String, Parameter>> parameters, double learningRate) {
        float lr = (float) learningRate;
        float biasCorrected = (float) (learningRate * Math.sqrt(1 - Math.pow(BETA2, updates)) / (1 - Math.pow(BETA1, updates)));
        for (Pair<String, Parameter> p : parameters) {
            NDArray weight = p.getValue().getArray();
            if (!weight.hasGradient()) {
                continue;
            }
            NDArray[] state = moments.computeIfAbsent(network + "/" + p.getKey(), k -> new NDArray[] {weight.zerosLike(), weight.zerosLike()});
            try (NDArray grad = weight.getGradient()) {
                weight.getNDArrayInternal().adamUpdate(new NDList(weight, grad, state[0], state[1]), new NDList(weight),
                        lr, biasCorrected, 0f, 1f, NO_CLIPPING, BETA1, BETA2, EPSILON, true, false);
            }
        }
    }

    public long updates() {
        return updates;
    }
}
