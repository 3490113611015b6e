package dev.jgen.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.jgen.Gen;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** After a few power-iteration steps, the layer's effective weight has largest singular value 1. */
class SpectralNormTest {
    @Test
    void effectiveWeightHasUnitSpectralNorm() {
        Gen.seed(7);
        int in = 12;
        int out = 7;
        try (NDManager m = Backend.newManager()) {
            SpectralNorm layer = SpectralNorm.linear(out);
            layer.initialize(m, DataType.FLOAT32, new Shape(1, in));
            ParameterStore store = new ParameterStore(m, false);
            float[] effective = null;
            for (int i = 0; i < 50; i++) {
                try (NDManager step = m.newSubManager()) {
                    NDArray identity = step.eye(in);
                    NDArray zeros = step.zeros(new Shape(in, in));
                    NDArray y = layer.forward(store, new NDList(identity), true).singletonOrThrow();
                    NDArray b = layer.forward(store, new NDList(zeros), false).singletonOrThrow();
                    effective = y.sub(b).toFloatArray();
                }
            }
            // y - b = I (W / sigma)^T: an in x out matrix whose largest singular value should be 1.
            assertEquals(1.0, largestSingularValue(effective, in, out), 0.02);
        }
    }

    /** Power iteration on M^T M for a rows x cols matrix (row-major). */
    private static double largestSingularValue(float[] matrix, int rows, int cols) {
        double[] v = new double[cols];
        java.util.Arrays.fill(v, 1.0);
        double sigma = 0;
        for (int it = 0; it < 500; it++) {
            double[] mv = new double[rows];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    mv[r] += matrix[r * cols + c] * v[c];
                }
            }
            double[] next = new double[cols];
            for (int c = 0; c < cols; c++) {
                for (int r = 0; r < rows; r++) {
                    next[c] += matrix[r * cols + c] * mv[r];
                }
            }
            double norm = Math.sqrt(java.util.Arrays.stream(next).map(x -> x * x).sum());
            sigma = Math.sqrt(norm);
            for (int c = 0; c < cols; c++) {
                v[c] = next[c] / norm;
            }
        }
        return sigma;
    }
}
