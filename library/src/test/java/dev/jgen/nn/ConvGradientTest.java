package dev.jgen.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.jgen.Gen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * jgen's convolution gives finite gradients on every CPU. On AVX-512 machines (AMD Zen 5) libtorch 2.7.1's
 * oneDNN returned NaN input gradients in a few percent of backward passes for output-channel counts that
 * are not a multiple of 16, with 2 threads: 1, 3 and 8 channels failed in 200 passes each
 * (../shared/repro/). These are the shapes every image generator ends in.
 */
class ConvGradientTest {
    private static final int PASSES = 200;

    @ParameterizedTest(name = "32 -> {0} channels")
    @ValueSource(ints = {1, 3, 8})
    void layersConvGivesFiniteGradients(int outputs) {
        assertTrue(Backend.threads() >= 2, "the fault needs 2+ intra-op threads; the test JVM sets 2");
        Gen.seed(outputs);
        assertEquals(0, nonFiniteBackwardPasses(Layers.conv(outputs, 3, 1, 1)),
                "backward passes out of " + PASSES + " with a NaN or infinite input or weight gradient");
    }

    @Test
    void spectrallyNormalisedConvGivesFiniteGradients() {
        Gen.seed(3);
        assertEquals(0, nonFiniteBackwardPasses(SpectralNorm.conv(3, 3, 1, 1)));
    }

    private static int nonFiniteBackwardPasses(Block conv) {
        return ConvGradientCheck.nonFinitePasses(conv, ConvGradientCheck.INPUT, PASSES);
    }

    /** The padded convolution is the same function as DJL's, in value and in every gradient. */
    @Test
    void paddedConvComputesWhatPlainConvComputes() {
        Gen.seed(11);
        Shape input = new Shape(4, 5, 9, 9);
        try (NDManager m = Backend.newManager()) {
            Conv2d padded = Layers.conv(3, 3, 2, 1);
            padded.initialize(m, DataType.FLOAT32, input);
            NDArray x = m.randomNormal(input);
            NDArray up = m.randomNormal(padded.getOutputShapes(new Shape[] {input})[0]);
            NDArray w = padded.getParameters().get("weight").getArray();
            NDArray b = padded.getParameters().get("bias").getArray();
            float[][] plain = valueAndGradients(m, x, up, w, b, () -> Conv2d.conv2d(x, w, b, new Shape(2, 2), new Shape(1, 1)).singletonOrThrow());
            float[][] ours = valueAndGradients(m, x, up, w, b,
                    () -> padded.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow());
            for (int i = 0; i < plain.length; i++) {
                assertArrayEquals(plain[i], ours[i], 1e-5f, i == 0 ? "output" : "gradient " + i);
            }
        }
    }

    private static float[][] valueAndGradients(NDManager m, NDArray x, NDArray up, NDArray w, NDArray b,
                                               java.util.function.Supplier<NDArray> forward) {
        for (NDArray a : new NDArray[] {x, w, b}) {
            a.setRequiresGradient(true);
            a.getGradient().subi(a.getGradient()); // backward adds to what is there
        }
        try (GradientCollector collector = Backend.engine().newGradientCollector()) {
            NDArray y = forward.get();
            collector.backward(y.mul(up).sum());
            return new float[][] {y.toFloatArray(), x.getGradient().toFloatArray(), w.getGradient().toFloatArray(),
                    b.getGradient().toFloatArray()};
        }
    }

    /** Weights saved from DJL's own Conv2d (every checkpoint before the fix) load into jgen's conv. */
    @Test
    void loadsWeightsSavedByPlainConv() throws Exception {
        Gen.seed(5);
        Shape input = new Shape(1, 32, 8, 8);
        try (NDManager m = Backend.newManager()) {
            Conv2d plain = Conv2d.builder().setFilters(1).setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).build();
            plain.initialize(m, DataType.FLOAT32, input);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            plain.saveParameters(new DataOutputStream(bytes));
            Conv2d ours = Layers.conv(1, 3, 1, 1);
            ours.loadParameters(m, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            NDArray x = m.randomNormal(input);
            ParameterStore store = new ParameterStore(m, false);
            assertArrayEquals(plain.forward(store, new NDList(x), false).singletonOrThrow().toFloatArray(),
                    ours.forward(store, new NDList(x), false).singletonOrThrow().toFloatArray(), 1e-5f);
        }
    }
}
