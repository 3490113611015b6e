package dev.jgen.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import dev.jgen.nn.Backend;
import dev.jgen.nn.FusedAdam;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Adam whose moment estimates belong to jgen (DJL keeps its own private), so they can be saved with
 * a checkpoint. A step's back-propagation and update are one native call ({@link FusedAdam}): libtorch's
 * fused kernel over all the parameters, PyTorch's formula.
 */
public final class Adam {
    private static final double EPSILON = 1e-8;
    private static final String COUNT_SUFFIX = "#updates";

    private final double beta1;
    private final double beta2;
    private final Map<String, NDArray[]> moments = new TreeMap<>();
    /** Bias correction counts each network's own updates: a GAN updates its two networks in turn. */
    private final Map<String, Long> updates = new TreeMap<>();

    /** The usual betas (0.9, 0.999). */
    public Adam() {
        this(0.9, 0.999);
    }

    /** GANs train better with a shorter memory of the gradient's direction, e.g. (0.5, 0.999). */
    public Adam(double beta1, double beta2) {
        this.beta1 = beta1;
        this.beta2 = beta2;
    }

    /**
     * One gradient step: computes {@code objective} while recording, back-propagates its loss and updates
     * {@code networks} (by name), all in one fused native call. A loss that is not finite is returned without
     * touching any weight, so the caller can report it with the model as it was; a gradient that is not
     * finite throws {@link NonFiniteGradient}, again before any weight changes.
     *
     * @return the objective's terms by name, loss first
     */
    public Map<String, Double> minimise(Supplier<Terms> objective, Map<String, Block> networks, double learningRate) {
        try (GradientCollector collector = Backend.engine().newGradientCollector()) {
            Terms terms = objective.get();
            Map<String, Double> values = terms.values();
            if (!Double.isFinite(values.get(terms.lossName()))) {
                return values;
            }
            List<String[]> names = new ArrayList<>(); // {network, parameter} of each weight below
            List<NDArray> weights = new ArrayList<>();
            List<NDArray> means = new ArrayList<>();
            List<NDArray> variances = new ArrayList<>();
            List<Long> steps = new ArrayList<>();
            networks.forEach((network, block) -> {
                for (Pair<String, Parameter> p : block.getParameters()) {
                    NDArray weight = p.getValue().getArray();
                    if (weight.hasGradient()) { // frozen weights do not
                        NDArray[] state = moments.computeIfAbsent(network + "/" + p.getKey(), k -> new NDArray[] {weight.zerosLike(), weight.zerosLike()});
                        names.add(new String[] {network, p.getKey()});
                        weights.add(weight);
                        means.add(state[0]);
                        variances.add(state[1]);
                        steps.add(updates(network) + 1);
                    }
                }
            });
            int notFinite = FusedAdam.step(terms.loss(), weights, means, variances, steps.stream().mapToDouble(Long::doubleValue).toArray(),
                    learningRate, beta1, beta2, EPSILON);
            if (notFinite >= 0) {
                throw new NonFiniteGradient(names.get(notFinite)[0], names.get(notFinite)[1]);
            }
            networks.keySet().forEach(network -> updates.merge(network, 1L, Long::sum));
            return values;
        }
    }

    /** How many updates {@code network} has had. */
    public long updates(String network) {
        return updates.getOrDefault(network, 0L);
    }

    /**
     * Everything needed to continue: the moment estimates ("network/parameter/m", ".../v") and each
     * network's update count ("network#updates"), as arrays for a checkpoint.
     */
    public NDList state(NDManager manager) {
        NDList state = new NDList();
        for (Map.Entry<String, NDArray[]> e : moments.entrySet()) {
            state.add(named(e.getValue()[0], e.getKey() + "/m"));
            state.add(named(e.getValue()[1], e.getKey() + "/v"));
        }
        for (Map.Entry<String, Long> e : updates.entrySet()) {
            state.add(named(manager.create(e.getValue()), e.getKey() + COUNT_SUFFIX));
        }
        return state;
    }

    /** Continues from a checkpoint's {@link #state}. */
    public void restore(NDList state) {
        moments.clear();
        updates.clear();
        for (int i = 0; i < state.size(); i++) {
            String name = state.get(i).getName();
            if (name.endsWith(COUNT_SUFFIX)) {
                updates.put(name.substring(0, name.length() - COUNT_SUFFIX.length()), state.get(i).getLong());
            } else if (name.endsWith("/m")) {
                moments.put(name.substring(0, name.length() - 2), new NDArray[] {state.get(i), state.get(i + 1)});
                i++;
            }
        }
    }

    private static NDArray named(NDArray array, String name) {
        array.setName(name);
        return array;
    }
}
