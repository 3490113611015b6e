package dev.jgen.model.flow;

import static dev.jgen.model.Require.positive;

/** {@code Gen.flow().couplings(8).hidden(128).build()}: a RealNVP-style normalizing flow. */
public final class FlowBuilder {
    private int couplings = 8;
    private int hidden = 128;

    /** How many affine coupling layers, each preceded by an activation normalisation (default 8): {@code .couplings(12)}. */
    public FlowBuilder couplings(int count) {
        this.couplings = new FlowConfig(count, hidden).couplings();
        return this;
    }

    /** Width of the two hidden layers of each coupling's scale-and-shift network (default 128): {@code .hidden(256)}. */
    public FlowBuilder hidden(int width) {
        this.hidden = positive("hidden", width);
        return this;
    }

    /** The untrained RealNVP flow; its shapes come from the first data it is fit on. */
    public Flow build() {
        return new Flow(new FlowConfig(couplings, hidden));
    }
}
