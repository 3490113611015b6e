package dev.jgen.model.tabular;

import java.util.Random;

/**
 * Where a trained TVAE's encoder puts the training rows: each row's q(z|row), a Gaussian. The TVAE samples latents
 * from their mixture (the aggregate posterior) instead of from N(0, I): its KL term is weighted down so that the
 * latent keeps more of each row, and the rows then fill only part of the prior, whose empty regions decode to
 * implausible rows (cf. Tomczak and Welling's VampPrior, and ex-post density estimation, Ghosh et al. 2020).
 * Rows come out new, not copied: the privacy report's distances to the closest record show it. A saved model keeps
 * these Gaussians, one per training row: share its samples, not the model, when the rows are private.
 *
 * @param means rows x latent, flat
 * @param stds  rows x latent, flat
 */
record AggregatePosterior(float[] means, float[] stds) {
    /** {@code noise} (n x dim standard-normal draws, flat) turned into draws from the mixture, rows chosen with {@code random}. */
    float[] draw(float[] noise, int n, Random random) {
        int dim = noise.length / n;
        int rows = means.length / dim;
        float[] z = new float[n * dim];
        for (int r = 0; r < n; r++) {
            int row = random.nextInt(rows);
            for (int d = 0; d < dim; d++) {
                z[r * dim + d] = means[row * dim + d] + stds[row * dim + d] * noise[r * dim + d];
            }
        }
        return z;
    }
}
