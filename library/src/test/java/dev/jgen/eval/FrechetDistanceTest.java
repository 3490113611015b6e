package dev.jgen.eval;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Fréchet distance against its closed form for Gaussians with known means and covariances. */
class FrechetDistanceTest {
    @Test
    void matchesTheClosedFormForDiagonalGaussians() {
        Random random = new Random(3);
        int n = 200_000;
        float[] a = new float[2 * n];
        float[] b = new float[2 * n];
        for (int i = 0; i < n; i++) {
            a[2 * i] = (float) random.nextGaussian();
            a[2 * i + 1] = (float) (2 * random.nextGaussian());
            b[2 * i] = (float) (1 + 3 * random.nextGaussian());
            b[2 * i + 1] = (float) (2 * random.nextGaussian());
        }
        // |mu_a - mu_b|^2 + sum over axes of (sigma_a - sigma_b)^2 = 1 + (1 - 3)^2 + 0.
        assertEquals(5, FrechetDistance.between(a, b, 2), 0.1);
        assertEquals(0, FrechetDistance.between(a, a, 2), 1e-6);
    }
}
