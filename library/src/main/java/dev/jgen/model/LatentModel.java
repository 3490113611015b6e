package dev.jgen.model;

import dev.jgen.data.Dataset;

/**
 * A generative model with a latent space that examples can be placed in: a VAE's and a flow's encoder, a
 * GAN's latent search, a diffusion model's DDIM inversion (each family names its own {@code encode} or
 * {@code invert}). A model without one (e.g. a text model) is a {@link GenerativeModel} and nothing more.
 */
public interface LatentModel extends GenerativeModel {
    /**
     * Interpolates in the latent space between consecutive pairs of {@code endpoints} (examples 0 and 1,
     * 2 and 3, ...), one row of {@code steps} per pair.
     */
    Interpolation interpolate(Dataset endpoints, int steps);
}
