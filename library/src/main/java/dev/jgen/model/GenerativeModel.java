package dev.jgen.model;

import ai.djl.Device;
import dev.jgen.data.Dataset;
import dev.jgen.display.Renderable;
import dev.jgen.train.Fit;
import dev.jgen.train.History;

import java.nio.file.Path;

/**
 * What every generative model does (fit, sample, save, history, device), so a notebook swaps families in
 * one line. Models with a latent space add {@link LatentModel}'s interpolation.
 */
public interface GenerativeModel {
    /** Trains on {@code data}; returns the model's History, which also survives an interrupted fit. */
    History fit(Dataset data, Fit fit);

    default History fit(Dataset data) {
        return fit(data, Fit.defaults());
    }

    /**
     * {@code n} new examples: {@link dev.jgen.plot.Samples} (an image grid for images, a scatter for 2-D data)
     * from the image and point families, lines of text from a text model.
     */
    Renderable sample(int n);

    /** Every step of every fit so far. */
    History history();

    /** Writes configuration and weights to {@code dir}; {@code Gen.load(dir)} brings the model back. */
    void save(Path dir);

    Device device();
}
