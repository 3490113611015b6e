package dev.jgen.eval;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Points spread 3 along (1, 1, 0)/sqrt 2, 1 along (0, 0, 1) and 0.1 along the rest. */
class PcaTest {
    @Test
    void projectsOntoTheTwoWidestDirections() {
        Random random = new Random(1);
        int n = 20_000;
        float[] points = new float[3 * n];
        double s = Math.sqrt(0.5);
        for (int i = 0; i < n; i++) {
            double a = 3 * random.nextGaussian();
            double b = random.nextGaussian();
            double c = 0.1 * random.nextGaussian();
            points[3 * i] = (float) (a * s + c * s + 5);
            points[3 * i + 1] = (float) (a * s - c * s - 2);
            points[3 * i + 2] = (float) b;
        }
        float[] projected = Pca.project2d(points, 3);
        assertEquals(9.0, variance(projected, 0, n), 0.3);
        assertEquals(1.0, variance(projected, 1, n), 0.05);
    }

    private static double variance(float[] xy, int axis, int n) {
        double mean = 0;
        double square = 0;
        for (int i = 0; i < n; i++) {
            mean += xy[2 * i + axis] / (double) n;
            square += xy[2 * i + axis] * (double) xy[2 * i + axis] / n;
        }
        return square - mean * mean;
    }
}
