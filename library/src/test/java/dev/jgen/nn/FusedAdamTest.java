package dev.jgen.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class FusedAdamTest {
    private static final double LR = 0.01;
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPS = 1e-8;

    /** Adam as PyTorch writes it, one element at a time: the reference the fused kernel must match. */
    private static void referenceStep(double[] w, double[] m, double[] v, double[] g, int t) {
        for (int i = 0; i < w.length; i++) {
            m[i] = BETA1 * m[i] + (1 - BETA1) * g[i];
            v[i] = BETA2 * v[i] + (1 - BETA2) * g[i] * g[i];
            double denominator = Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(BETA2, t)) + EPS;
            w[i] -= LR / (1 - Math.pow(BETA1, t)) * m[i] / denominator;
        }
    }

    @Test
    void matchesPyTorchsAdamOverSteps() {
        double[] w = {1, -2, 3, 0.5};
        double[] m = new double[4];
        double[] v = new double[4];
        try (NDManager manager = Backend.newManager()) {
            NDArray weight = manager.create(new float[] {1, -2, 3, 0.5f});
            weight.setRequiresGradient(true);
            NDArray mean = weight.zerosLike();
            NDArray variance = weight.zerosLike();
            for (int t = 1; t <= 5; t++) {
                // loss = sum(w^3): gradient 3 w^2, different every step
                double[] g = new double[4];
                for (int i = 0; i < 4; i++) {
                    g[i] = 3 * w[i] * w[i];
                }
                try (GradientCollector collector = Backend.engine().newGradientCollector()) {
                    assertEquals(-1, FusedAdam.step(weight.pow(3).sum(), List.of(weight), List.of(mean), List.of(variance), new double[] {t},
                            LR, BETA1, BETA2, EPS));
                }
                referenceStep(w, m, v, g, t);
                assertArrayEquals(w, toDoubles(weight.toFloatArray()), 1e-5, "weights after step " + t);
                assertArrayEquals(m, toDoubles(mean.toFloatArray()), 1e-4, "first moments after step " + t);
            }
        }
    }

    @Test
    void aGradientThatIsNotFiniteIsNamedAndChangesNothing() {
        try (NDManager manager = Backend.newManager()) {
            NDArray fine = manager.create(new float[] {1, 2});
            NDArray broken = manager.create(new float[] {1, 2});
            NDArray unused = manager.create(new float[] {5, 6});
            for (NDArray weight : List.of(fine, broken, unused)) {
                weight.setRequiresGradient(true);
            }
            List<NDArray> weights = List.of(unused, fine, broken);
            List<NDArray> means = List.of(unused.zerosLike(), fine.zerosLike(), broken.zerosLike());
            List<NDArray> variances = List.of(unused.zerosLike(), fine.zerosLike(), broken.zerosLike());
            try (GradientCollector collector = Backend.engine().newGradientCollector()) {
                NDArray loss = fine.sum().add(broken.sqrt().mul(manager.create(new float[] {Float.NaN, 1})).sum());
                assertEquals(2, FusedAdam.step(loss, weights, means, variances, new double[] {1, 1, 1}, LR, BETA1, BETA2, EPS));
            }
            assertArrayEquals(new float[] {1, 2}, fine.toFloatArray());
            assertArrayEquals(new float[] {0, 0}, means.get(1).toFloatArray());
            try (GradientCollector collector = Backend.engine().newGradientCollector()) {
                assertEquals(-1, FusedAdam.step(fine.sum(), weights, means, variances, new double[] {1, 1, 1}, LR, BETA1, BETA2, EPS));
            }
            assertArrayEquals(new float[] {0.99f, 1.99f}, fine.toFloatArray(), 1e-6f, "a sum's gradient is a broadcast view, updated in full");
            assertArrayEquals(new float[] {5, 6}, unused.toFloatArray(), "a weight the loss does not use stays");
            assertArrayEquals(new float[] {0, 0}, means.get(0).toFloatArray());
        }
    }

    private static double[] toDoubles(float[] values) {
        double[] result = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = values[i];
        }
        return result;
    }
}
