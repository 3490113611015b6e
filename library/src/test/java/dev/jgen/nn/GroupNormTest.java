package dev.jgen.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Group norm against its definition, computed here in plain Java, for each example and group on its own. */
class GroupNormTest {
    @Test
    void normalisesEachGroupOfEachExampleThenScalesPerChannel() {
        int b = 3;
        int c = 6;
        int hw = 5 * 4;
        int groups = 2;
        Random random = new Random(1);
        float[] x = new float[b * c * hw];
        for (int i = 0; i < x.length; i++) {
            // Each example at its own scale and offset: a norm that mixed examples would show.
            x[i] = (float) ((i / (c * hw) + 1) * 3 * random.nextGaussian() + i / (c * hw) * 10);
        }
        try (NDManager m = Backend.newManager()) {
            GroupNorm norm = new GroupNorm(groups);
            norm.initialize(m, DataType.FLOAT32, new Shape(1, c, 5, 4));
            float[] gamma = {1, 2, 3, 4, 5, 6};
            float[] beta = {0, -1, 1, 0.5f, 0, 2};
            norm.getParameters().get("gamma").getArray().set(gamma);
            norm.getParameters().get("beta").getArray().set(beta);
            NDArray out = norm.forward(new ParameterStore(m, false), new NDList(m.create(x, new Shape(b, c, 5, 4))), true)
                    .singletonOrThrow();
            float[] y = out.toFloatArray();
            int perGroup = c / groups * hw;
            for (int e = 0; e < b; e++) {
                for (int g = 0; g < groups; g++) {
                    int from = e * c * hw + g * perGroup;
                    double mean = 0;
                    for (int i = 0; i < perGroup; i++) {
                        mean += x[from + i] / (double) perGroup;
                    }
                    double variance = 0;
                    for (int i = 0; i < perGroup; i++) {
                        variance += (x[from + i] - mean) * (x[from + i] - mean) / perGroup;
                    }
                    for (int i = 0; i < perGroup; i++) {
                        int channel = g * (c / groups) + i / hw;
                        double expected = (x[from + i] - mean) / Math.sqrt(variance + 1e-5) * gamma[channel] + beta[channel];
                        assertEquals(expected, y[from + i], 1e-3, "example " + e + ", group " + g + ", element " + i);
                    }
                }
            }
        }
    }

    @Test
    void channelsMustSplitIntoTheGroups() {
        try (NDManager m = Backend.newManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new GroupNorm(4).initialize(m, DataType.FLOAT32, new Shape(1, 6, 2, 2)));
            assertEquals("group norm splits 6 channels into 4 groups, which needs the channels to be a multiple of the groups", e.getMessage());
        }
    }
}
