package dev.jgen.model.flow;

/** {@code Gen.flow().couplings(8).hidden(128).build()}: a RealNVP-style normalizing flow. */
public final class FlowBuilder {
    private int couplings = 8;
    private int hidden = 128;

    /** How many affine coupling layers (each preceded by an activation normalisation). */
    public FlowBuilder couplings(int count) {
        if (count < 2) {
            throw new IllegalArgumentException("a flow needs at least 2 couplings so every dimension is transformed; got " + count);
        }
        this.couplings = count;
        return this;
    }

    /** Width of the two hidden layers of each coupling's scale-and-shift network. */
    public FlowBuilder hidden(int width) {
        if (width < 1) {
            throw new IllegalArgumentException("the hidden width must be at least 1, got " + width);
        }
        this.hidden = width;
        return this;
    }

    public Flow build() {
        return new Flow(couplings, hidden);
    }
}
