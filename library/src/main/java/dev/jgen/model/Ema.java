package dev.jgen.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.jgen.nn.Backend;
import dev.jgen.nn.Ops;

import java.util.Iterator;

/**
 * An exponential moving average of a network's weights, kept in a second copy of the network and used
 * for sampling: it averages out the last steps' noise, which GANs and diffusion models both show.
 */
public final class Ema {
    private Ema() {}

    /**
     * The decay after {@code updates} optimizer steps: (1 + t) / (10 + t), capped at {@code max}, so the
     * average follows the network closely at first instead of remembering its random start.
     */
    public static double decay(long updates, double max) {
        return Math.min(max, (1.0 + updates) / (10.0 + updates));
    }

    /** average <- average + (1 - decay) (weights - average), for weights and statistics alike. */
    public static void update(Block network, Block average, double decay, NDManager parent) {
        Backend.inferenceMode();
        try (NDManager scratch = parent.newSubManager()) {
            NDArray rate = Ops.scalar(scratch, 1 - decay);
            Iterator<Pair<String, Parameter>> target = average.getParameters().iterator();
            for (Pair<String, Parameter> source : network.getParameters()) {
                NDArray e = target.next().getValue().getArray();
                NDArray difference = source.getValue().getArray().sub(e);
                difference.attach(scratch);
                e.addi(difference.mul(rate));
            }
        }
    }
}
