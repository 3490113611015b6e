package dev.jgen.model;

import dev.jgen.data.Dataset;
import dev.jgen.plot.Samples;

/**
 * A generative model with a latent space that examples can be placed in: a VAE's and a flow's encoder, a
 * GAN's latent search, a diffusion model's DDIM inversion (each family names its own {@code encode} or
 * {@code invert}). A model without one (e.g. a text model) is a {@link GenerativeModel} and nothing more.
 */
public interface LatentModel extends GenerativeModel {
    /** {@code n} new examples: an image grid for images, a scatter for 2-D data; {@code values()} gives the numbers. */
    @Override
    Samples sample(int n);

    /**
     * Interpolates in the latent space between consecutive pairs of {@code endpoints} (examples 0 and 1,
     * 2 and 3, ...), one row of {@code steps} per pair.
     */
    Interpolation interpolate(Dataset endpoints, int steps);
}
