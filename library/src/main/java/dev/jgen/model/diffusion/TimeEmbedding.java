package dev.jgen.model.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** The transformer's sinusoidal position code, used to tell a denoiser which noise level it is looking at. */
final class TimeEmbedding {
    private static final double MAX_PERIOD = 10_000;

    private TimeEmbedding() {}

    /** (B, dim): sin and cos of t at dim/2 geometrically spaced frequencies; t is (B) and holds step numbers. */
    static NDArray sinusoidal(NDArray t, int dim) {
        int half = dim / 2;
        float[] frequencies = new float[half];
        for (int i = 0; i < half; i++) {
            frequencies[i] = (float) Math.exp(-Math.log(MAX_PERIOD) * i / half);
        }
        long b = t.getShape().get(0);
        NDArray angles = t.reshape(b, 1).mul(t.getManager().create(frequencies, new Shape(1, half)));
        return angles.sin().concat(angles.cos(), 1);
    }
}
