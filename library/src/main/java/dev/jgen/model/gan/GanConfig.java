package dev.jgen.model.gan;

import static dev.jgen.model.Require.positive;

/**
 * What the builder chose. {@code latent} 0 means "from the data" (64 for images, the data's dimension
 * for points); a trained GAN's config holds the size it chose.
 */
public record GanConfig(int latent, int hidden, boolean hinge, boolean ema, boolean conditional, boolean spectralNorm) {
    public GanConfig {
        if (latent != 0) {
            positive("latent", latent);
        }
        positive("hidden", hidden);
    }
}
