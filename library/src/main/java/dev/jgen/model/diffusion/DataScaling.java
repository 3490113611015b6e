package dev.jgen.model.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.jgen.data.Dataset;
import dev.jgen.nn.FeatureMoments;
import dev.jgen.nn.Ops;

/**
 * Where diffusion happens: noise of variance 1 must match the data's scale. Images go from [0, 1] to
 * [-1, 1]; points are standardised per feature with the training data's mean and standard deviation.
 */
record DataScaling(float[] pointMean, float[] pointScale) {
    static final DataScaling IMAGES = new DataScaling(null, null);

    /** Per-feature mean and standard deviation of the points. */
    static DataScaling standardising(Dataset points) {
        int d = points.features();
        FeatureMoments moments = FeatureMoments.of(points.toFloatArray(), d);
        float[] mean = new float[d];
        float[] scale = new float[d];
        for (int f = 0; f < d; f++) {
            mean[f] = (float) moments.mean()[f];
            scale[f] = (float) Math.max(1e-6, moments.std()[f]);
        }
        return new DataScaling(mean, scale);
    }

    boolean forImages() {
        return pointMean == null;
    }

    /** How many model-space units one unit of data is: 2 for images, 1 / (the features' mean scale) for points. */
    double modelUnitsPerDataUnit() {
        if (forImages()) {
            return 2;
        }
        double sum = 0;
        for (float scale : pointScale) {
            sum += scale;
        }
        return pointScale.length / sum;
    }

    NDArray toModelSpace(NDArray x) {
        NDManager m = x.getManager();
        if (forImages()) {
            return x.mul(Ops.scalar(m, 2)).sub(Ops.scalar(m, 1));
        }
        NDArray flat = x.reshape(x.getShape().get(0), pointMean.length);
        return flat.sub(m.create(pointMean)).div(m.create(pointScale));
    }

    float[] toDataSpace(float[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = forImages() ? Math.max(0f, Math.min(1f, (values[i] + 1) / 2))
                    : values[i] * pointScale[i % pointScale.length] + pointMean[i % pointMean.length];
        }
        return out;
    }
}
