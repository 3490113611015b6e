package dev.jgen.train;

/**
 * A gradient held NaN or infinity while the loss was finite, so no update was applied. {@link TrainingLoop}
 * turns it into a {@link TrainingDiverged} that says at which step.
 */
public final class NonFiniteGradient extends RuntimeException {
    private final String network;
    private final String parameter;

    NonFiniteGradient(String network, String parameter) {
        super("the gradient of " + network + " parameter " + parameter + " is not finite");
        this.network = network;
        this.parameter = parameter;
    }

    public String network() {
        return network;
    }

    public String parameter() {
        return parameter;
    }
}
