package dev.jgen.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ops that run as TorchScript functions (SiLU, nearest upsampling, group norm) give the values and the
 * gradients of the same maths written with DJL's own ops, so back-propagation passes through them to
 * inputs and weights alike.
 */
class ScriptFunctionTest {
    private static final float TOLERANCE = 1e-4f;

    @Test
    void siluMatchesXTimesSigmoidForwardAndBackward() {
        sameAsReference(new Shape(4, 3, 5, 5), Ops::silu, x -> x.mul(Activation.sigmoid(x)));
    }

    @Test
    void upsamplingMatchesRepeatingEachValueInATwoByTwoSquare() {
        sameAsReference(new Shape(2, 3, 4, 5), Layers::upsample2x, x -> x.repeat(2, 2).repeat(3, 2));
    }

    @Test
    void groupNormPassesGradientsToItsInputAndBothWeights() {
        Shape shape = new Shape(3, 8, 4, 4);
        try (NDManager m = Backend.newManager()) {
            GroupNorm norm = new GroupNorm(4);
            norm.initialize(m, DataType.FLOAT32, shape);
            NDArray gamma = norm.getParameters().get("gamma").getArray();
            NDArray beta = norm.getParameters().get("beta").getArray();
            gamma.set(m.randomUniform(0.5f, 2f, new Shape(8)).toFloatArray());
            beta.set(m.randomNormal(new Shape(8)).toFloatArray());
            NDArray x = m.randomNormal(2, 3, shape, DataType.FLOAT32);
            NDArray w = m.randomNormal(shape);

            x.setRequiresGradient(true);
            NDArray fused;
            try (GradientCollector collector = Backend.engine().newGradientCollector()) {
                fused = norm.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow();
                collector.backward(fused.mul(w).sum());
            }
            List<float[]> fusedGradients = List.of(x.getGradient().toFloatArray(), gamma.getGradient().toFloatArray(),
                    beta.getGradient().toFloatArray());

            NDArray x2 = x.duplicate();
            NDArray gamma2 = gamma.duplicate();
            NDArray beta2 = beta.duplicate();
            for (NDArray a : List.of(x2, gamma2, beta2)) {
                a.setRequiresGradient(true);
            }
            NDArray reference;
            try (GradientCollector collector = Backend.engine().newGradientCollector()) {
                NDArray grouped = x2.reshape(3, 4, -1);
                NDArray centred = grouped.sub(grouped.mean(new int[] {2}, true));
                NDArray variance = centred.square().mean(new int[] {2}, true);
                NDArray normalised = centred.div(variance.add(1e-5f).sqrt()).reshape(shape);
                reference = normalised.mul(gamma2.reshape(1, 8, 1, 1)).add(beta2.reshape(1, 8, 1, 1));
                collector.backward(reference.mul(w).sum());
            }
            assertArrayEquals(reference.toFloatArray(), fused.toFloatArray(), TOLERANCE, "values");
            assertArrayEquals(x2.getGradient().toFloatArray(), fusedGradients.get(0), TOLERANCE, "gradient of the input");
            assertArrayEquals(gamma2.getGradient().toFloatArray(), fusedGradients.get(1), TOLERANCE, "gradient of the scale");
            assertArrayEquals(beta2.getGradient().toFloatArray(), fusedGradients.get(2), TOLERANCE, "gradient of the shift");
            assertTrue(gamma2.getGradient().abs().sum().getFloat() > 0.1f, "the check compares gradients that are not all zero");
        }
    }

    @Test
    void resultsLandInTheInputsManager() {
        try (NDManager outer = Backend.newManager(); NDManager batch = outer.newSubManager()) {
            NDArray x = batch.ones(new Shape(1, 1, 2, 2));
            assertEquals(batch, Ops.silu(x).getManager());
            assertEquals(batch, Layers.upsample2x(x).getManager());
        }
    }

    /** Values and input gradients of {@code op} against {@code reference}, weighted by random numbers so every element counts. */
    private static void sameAsReference(Shape shape, Function<NDArray, NDArray> op, Function<NDArray, NDArray> reference) {
        try (NDManager m = Backend.newManager()) {
            NDArray x = m.randomNormal(0, 3, shape, DataType.FLOAT32);
            NDArray w = m.randomNormal(op.apply(x).getShape());
            float[][] values = new float[2][];
            float[][] gradients = new float[2][];
            int i = 0;
            for (Function<NDArray, NDArray> f : List.of(op, reference)) {
                NDArray input = x.duplicate();
                input.setRequiresGradient(true);
                try (GradientCollector collector = Backend.engine().newGradientCollector()) {
                    NDArray out = f.apply(input);
                    values[i] = out.toFloatArray();
                    collector.backward(out.mul(w).sum());
                }
                gradients[i++] = input.getGradient().toFloatArray();
            }
            assertArrayEquals(values[1], values[0], TOLERANCE, "values");
            assertArrayEquals(gradients[1], gradients[0], TOLERANCE, "gradients");
        }
    }
}
