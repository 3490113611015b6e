package dev.jgen.model.flow;

import static dev.jgen.model.Require.positive;

/** {@code Gen.flow().couplings(8).hidden(128).build()}: a RealNVP-style normalizing flow. */
public final class FlowBuilder {
    private int couplings = 8;
    private int hidden = 128;

    /** How many affine coupling layers (each preceded by an activation normalisation). */
    public FlowBuilder couplings(int count) {
        this.couplings = new FlowConfig(count, hidden).couplings();
        return this;
    }

    /** Width of the two hidden layers of each coupling's scale-and-shift network. */
    public FlowBuilder hidden(int width) {
        this.hidden = positive("hidden", width);
        return this;
    }

    public Flow build() {
        return new Flow(new FlowConfig(couplings, hidden));
    }
}
