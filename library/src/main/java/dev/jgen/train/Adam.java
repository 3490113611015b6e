package dev.jgen.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import dev.jgen.nn.Backend;
import dev.jgen.nn.Ops;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Adam whose moment estimates belong to jgen (DJL keeps its own private), so they can be saved with
 * a checkpoint. Each update is one fused libtorch call per parameter, which also zeroes the gradient.
 */
public final class Adam {
    private static final float EPSILON = 1e-8f;
    private static final String COUNT_SUFFIX = "#updates";

    private final float beta1;
    private final float beta2;
    private final Map<String, NDArray[]> moments = new TreeMap<>();
    /** Bias correction counts each network's own updates: a GAN updates its two networks in turn. */
    private final Map<String, Long> updates = new TreeMap<>();

    /** The usual betas (0.9, 0.999). */
    public Adam() {
        this(0.9, 0.999);
    }

    /** GANs train better with a shorter memory of the gradient's direction, e.g. (0.5, 0.999). */
    public Adam(double beta1, double beta2) {
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
    }

    /**
     * One gradient step: computes {@code objective} while recording, back-propagates its loss and updates
     * {@code networks} (by name). A loss that is not finite is returned without touching any weight, so
     * the caller can report it with the model as it was.
     *
     * @return the objective's terms by name, loss first
     */
    public Map<String, Double> minimise(Supplier<Terms> objective, Map<String, Block> networks, double learningRate) {
        Map<String, Double> values;
        try (GradientCollector collector = Backend.engine().newGradientCollector()) {
            Terms terms = objective.get();
            values = terms.values();
            if (!Double.isFinite(values.get(terms.lossName()))) {
                return values;
            }
            collector.backward(terms.loss());
        }
        networks.forEach((name, network) -> update(name, network.getParameters(), learningRate));
        return values;
    }

    /**
     * Updates every parameter of one network that has a gradient. {@code network} keeps the state of
     * networks whose parameter names coincide apart.
     */
    public void update(String network, Iterable<Pair<String, Parameter>> parameters, double learningRate) {
        requireFiniteGradients(network, parameters);
        long t = updates.merge(network, 1L, Long::sum);
        float lr = (float) learningRate;
        float biasCorrected = (float) (learningRate * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)));
        for (Pair<String, Parameter> p : parameters) {
            NDArray weight = p.getValue().getArray();
            if (!weight.hasGradient()) {
                continue;
            }
            NDArray[] state = moments.computeIfAbsent(network + "/" + p.getKey(), k -> new NDArray[] {weight.zerosLike(), weight.zerosLike()});
            try (NDArray grad = weight.getGradient()) {
                Ops.adamStep(weight, grad, state[0], state[1], lr, biasCorrected, beta1, beta2, EPSILON);
            }
        }
    }

    /**
     * Throws {@link NonFiniteGradient} before any weight changes when a gradient holds NaN or infinity.
     * One sum per parameter is the cheap test (NaN and infinity survive it); only when a sum is not finite
     * are the elements looked at, so a sum that merely overflowed does not count.
     */
    private static void requireFiniteGradients(String network, Iterable<Pair<String, Parameter>> parameters) {
        for (Pair<String, Parameter> p : parameters) {
            NDArray weight = p.getValue().getArray();
            if (!weight.hasGradient()) {
                continue;
            }
            try (NDManager scratch = weight.getManager().newSubManager(); NDArray grad = weight.getGradient()) {
                NDArray sum = Ops.inBatch(grad.sum(), scratch);
                if (!Float.isFinite(sum.getFloat())
                        && (Ops.inBatch(grad.isNaN(), scratch).any().getBoolean() || Ops.inBatch(grad.isInfinite(), scratch).any().getBoolean())) {
                    throw new NonFiniteGradient(network, p.getKey());
                }
            }
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
