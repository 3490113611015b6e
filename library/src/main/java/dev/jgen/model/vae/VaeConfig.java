package dev.jgen.model.vae;

import static dev.jgen.model.Require.positive;

/** What the builder chose: latent size, the encoder's hidden widths (the decoder mirrors them), convolutional or MLP. */
public record VaeConfig(int latent, int[] hidden, boolean conv) {
    public VaeConfig {
        positive("latent", latent);
        if (hidden == null || hidden.length == 0) {
            throw new IllegalArgumentException("hidden needs one or more widths, got none");
        }
        for (int width : hidden) {
            positive("each hidden width", width);
        }
        hidden = hidden.clone();
    }
}
