package dev.jgen.model.flow;

import static dev.jgen.model.Require.positive;

/** What the builder chose: how many couplings, and the width of their networks' two hidden layers. */
public record FlowConfig(int couplings, int hidden) {
    public FlowConfig {
        if (couplings < 2) {
            throw new IllegalArgumentException("a flow needs at least 2 couplings so every dimension is transformed; got " + couplings);
        }
        positive("hidden", hidden);
    }
}
