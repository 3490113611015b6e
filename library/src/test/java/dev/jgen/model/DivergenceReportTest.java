package dev.jgen.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import dev.jgen.Gen;
import dev.jgen.data.DataException;
import dev.jgen.data.Dataset;
import dev.jgen.data.Datasets;
import dev.jgen.model.gan.Gan;
import dev.jgen.model.vae.Vae;
import dev.jgen.train.Fit;
import dev.jgen.train.TrainingDiverged;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When training stops on NaN, the message names the true cause: the data, the engine's gradients, or the weights. */
class DivergenceReportTest {
    @Test
    void dataWithNaNFailBeforeTrainingNamingTheExample() {
        float[] values = new float[20];
        for (int i = 0; i < values.length; i++) {
            values[i] = i / 20f;
        }
        values[7] = Float.NaN; // example 3, value 1
        Dataset data = Dataset.of("sensor readings", values, new Shape(2), null);
        Vae vae = Gen.vae().latent(2).hidden(8).build();
        DataException e = assertThrows(DataException.class, () -> vae.fit(data, Fit.epochs(1).quiet()));
        assertTrue(e.getMessage().contains("sensor readings") && e.getMessage().contains("example 3")
                && e.getMessage().contains("NaN"), e.getMessage());
        assertEquals(0, vae.history().steps());
    }

    /**
     * A generator whose output is finite but whose gradient is NaN (the derivative of sqrt(|x - x|) at 0):
     * the loss stays finite, so the report must blame the gradients, and the generator must be unchanged.
     */
    @Test
    void nonFiniteGradientsWithAFiniteLossAreReportedAsSuchAndNotApplied() {
        AtomicBoolean poisoned = new AtomicBoolean(false);
        SequentialBlock generator = new SequentialBlock().add(Linear.builder().setUnits(2).build())
                .add(new LambdaBlock(in -> {
                    NDArray x = in.singletonOrThrow();
                    return new NDList(poisoned.get() ? x.add(x.sub(x).abs().sqrt()) : x);
                }));
        Gen.seed(3);
        Gan gan = Gen.gan().latent(4).hidden(16).ema(false).generator(generator).build();
        Dataset ring = Datasets.gaussians(512, 4);
        gan.fit(ring, Fit.steps(5).batchSize(64).quiet());
        Gen.seed(9);
        float[] before = gan.sample(32).values();

        poisoned.set(true);
        TrainingDiverged e = assertThrows(TrainingDiverged.class, () -> gan.fit(ring, Fit.steps(5).batchSize(64).quiet()));
        assertTrue(e.getMessage().contains("non-finite gradients") && e.getMessage().contains("generator"), e.getMessage());
        assertFalse(e.getMessage().contains("smaller learning rate"), e.getMessage());
        assertEquals(5, gan.history().steps(), "the failed step is not recorded");

        poisoned.set(false);
        Gen.seed(9);
        assertArrayEquals(before, gan.sample(32).values(), "the generator was not updated with NaN gradients");
    }
}
