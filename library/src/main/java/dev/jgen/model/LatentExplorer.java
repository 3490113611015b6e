package dev.jgen.model;

import dev.jgen.display.Interactive;
import dev.jgen.display.Rendered;
import dev.jgen.plot.Samples;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Sliders along a model's principal latent directions, the decoded image redrawn as they move:
 * {@code vae.explore()}, {@code gan.explore()}. Each slider moves the latent from the middle of the codes by up
 * to three standard deviations along its direction, the direction of largest variance first.
 */
public final class LatentExplorer implements Interactive {
    static final double RANGE = 3;
    static final double STEP = 0.1;

    private final String title;
    private final float[] origin;
    private final float[][] directions;
    private final double[] scales;
    private final Function<float[], Samples> decode;

    LatentExplorer(String title, float[] origin, float[][] directions, double[] scales, Function<float[], Samples> decode) {
        this.title = title;
        this.origin = origin.clone();
        this.directions = directions;
        this.scales = scales.clone();
        this.decode = decode;
    }

    @Override
    public List<Slider> sliders() {
        List<Slider> sliders = new ArrayList<>();
        for (int k = 0; k < directions.length; k++) {
            sliders.add(new Slider("direction " + (k + 1), -RANGE, RANGE, STEP, 0));
        }
        return sliders;
    }

    /** The latent for these slider values: the origin moved along each direction by value x its standard deviation. */
    public float[] latent(double[] values) {
        if (values.length != directions.length) {
            throw new IllegalArgumentException("the explorer has " + directions.length + " sliders, got " + values.length + " values");
        }
        float[] z = origin.clone();
        for (int k = 0; k < directions.length; k++) {
            for (int j = 0; j < z.length; j++) {
                z[j] += (float) (values[k] * scales[k] * directions[k][j]);
            }
        }
        return z;
    }

    @Override
    public Rendered view(double[] values) {
        return decode.apply(latent(values)).render();
    }

    @Override
    public String toString() {
        return title + ": " + directions.length + " sliders along the principal latent directions (live in Jupyter Notebook)";
    }
}
