package dev.jgen.train;

import ai.djl.ndarray.NDArray;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an objective computed on one batch: named scalars, the first of which is the loss that
 * gradients follow; the others are reported beside it (a VAE's reconstruction and KL terms, a
 * discriminator's scores). Any loop can train a model with them:
 * <pre>{@code
 * try (GradientCollector c = engine.newGradientCollector()) {
 *     c.backward(vae.objective(x).loss());
 * }
 * }</pre>
 */
public final class Terms {
    private final Map<String, NDArray> terms = new LinkedHashMap<>();
    private final String lossName;

    private Terms(String lossName, NDArray loss) {
        this.lossName = lossName;
        terms.put(lossName, loss);
    }

    /** Starts with the loss to minimise, under the name the history records it by. */
    public static Terms loss(String name, NDArray value) {
        return new Terms(name, value);
    }

    /** Adds a term that is reported, not minimised. */
    public Terms and(String name, NDArray value) {
        terms.put(name, value);
        return this;
    }

    public NDArray loss() {
        return terms.get(lossName);
    }

    public String lossName() {
        return lossName;
    }

    public NDArray get(String name) {
        return terms.get(name);
    }

    /** Every term's value, in order, loss first. */
    public Map<String, Double> values() {
        Map<String, Double> values = new LinkedHashMap<>();
        terms.forEach((name, value) -> values.put(name, (double) value.getFloat()));
        return values;
    }
}
