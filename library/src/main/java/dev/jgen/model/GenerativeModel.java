package dev.jgen.model;

import ai.djl.Device;
import dev.jgen.data.Dataset;
import dev.jgen.train.Fit;
import dev.jgen.train.History;

import java.nio.file.Path;

/** What every family (VAE, GAN, flow, diffusion) can do, so a notebook swaps families in one line. */
public interface GenerativeModel {
    /** Trains on {@code data}; returns the model's History, which also survives an interrupted fit. */
    History fit(Dataset data, Fit fit);

    default History fit(Dataset data) {
        return fit(data, Fit.defaults());
    }

    /** {@code n} new examples: an image grid for images, a scatter for 2-D data. */
    Samples sample(int n);

    /**
     * Interpolates in the model's latent space between consecutive pairs of {@code endpoints}
     * (examples 0 and 1, 2 and 3, ...), one row of {@code steps} per pair.
     */
    Interpolation interpolate(Dataset endpoints, int steps);

    /** Every step of every fit so far. */
    History history();

    /** Writes configuration and weights to {@code dir}; {@code Gen.load(dir)} brings the model back. */
    void save(Path dir);

    Device device();
}
