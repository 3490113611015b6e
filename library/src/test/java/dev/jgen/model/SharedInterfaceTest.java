package dev.jgen.model;

import ai.djl.ndarray.NDArray;
import dev.jgen.Gen;
import dev.jgen.data.Dataset;
import dev.jgen.data.Datasets;
import dev.jgen.model.diffusion.Diffusion;
import dev.jgen.model.diffusion.Sampler;
import dev.jgen.model.flow.Flow;
import dev.jgen.model.gan.Gan;
import dev.jgen.model.vae.Vae;
import dev.jgen.train.Fit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import dev.jgen.plot.Samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What "a notebook swaps families in one line" needs: every family keeps the same promises, on small toys. */
class SharedInterfaceTest {
    private static Dataset moons;
    private static List<LatentModel> trained;

    @BeforeAll
    static void trainEachFamilyBriefly() {
        Gen.seed(4);
        moons = Datasets.moons(512);
        trained = List.of(Gen.vae().latent(2).hidden(16).build(), Gen.gan().latent(4).hidden(16).build(),
                Gen.flow().couplings(2).hidden(16).build(), Gen.diffusion().timesteps(50).build());
        for (LatentModel model : trained) {
            model.fit(moons, Fit.steps(3).batchSize(128).quiet());
        }
    }

    @Test
    void everyFamilyReportsALoss() {
        for (LatentModel model : trained) {
            assertTrue(model.history().metrics().contains("loss"), model + " reports " + model.history().metrics());
        }
    }

    @Test
    void keepBestWithAnUnknownMetricFailsAtOnceListingTheMetrics(@TempDir Path dir) {
        for (LatentModel model : trained) {
            long before = model.history().steps();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.fit(moons, Fit.epochs(1).quiet().checkpointEvery(1, dir).keepBest("fid")));
            assertTrue(e.getMessage().contains("fid") && e.getMessage().contains("loss"), e.getMessage());
            assertEquals(before, model.history().steps(), "no step was taken");
        }
    }

    @Test
    void untrainedModelsSaySoInOneSentence() {
        Dataset two = moons.take(2);
        Vae vae = Gen.vae().build();
        Flow flow = Gen.flow().build();
        Gan gan = Gen.gan().build();
        Diffusion dm = Gen.diffusion().build();
        for (Executable call : List.<Executable>of(() -> vae.reconstruct(two), () -> vae.elbo(two), () -> vae.latentMap(two),
                () -> vae.sample(4), () -> flow.logProb(two), flow::density, () -> flow.sample(4), () -> gan.sample(4),
                () -> gan.interpolate(two, 4), () -> dm.sample(4), () -> dm.interpolate(two, 4), () -> dm.invert(two, 10))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, call);
            assertTrue(e.getMessage().contains("not been trained yet") && e.getMessage().contains("fit("), e.getMessage());
        }
        // Still untrained afterwards: asking did not build random networks behind the user's back.
        assertThrows(IllegalStateException.class, flow::density);
    }

    @Test
    void badCountsGetJgensMessageNotTheEngines() {
        for (LatentModel model : trained) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.sample(-5));
            assertTrue(e.getMessage().contains("at least 1") && e.getMessage().contains("-5"), e.getMessage());
            IllegalArgumentException steps = assertThrows(IllegalArgumentException.class, () -> model.interpolate(moons.take(2), 0));
            assertTrue(steps.getMessage().contains("at least 2 steps"), steps.getMessage());
        }
        IllegalArgumentException take = assertThrows(IllegalArgumentException.class, () -> moons.take(-1));
        assertTrue(take.getMessage().contains("take(-1)"), take.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Fit.epochs(0));
        assertThrows(IllegalArgumentException.class, () -> Fit.epochs(1).batchSize(-3));
    }

    @Test
    void samplesGiveTheirValuesAsAnArrayWithoutAManager() {
        for (LatentModel model : trained) {
            Samples s = model.sample(6);
            NDArray values = s.array();
            assertEquals(s.shape(), values.getShape());
            assertArrayEquals(s.values(), values.toFloatArray());
            assertSame(values, s.array(), "one array per Samples, not one per call");
        }
    }

    @Test
    void everyFamilyInterpolatesBetweenExamples() {
        for (LatentModel model : trained) {
            Interpolation walk = model.interpolate(moons.take(4), 5);
            assertEquals(10, walk.size(), model.toString());
        }
    }

    @Test
    void loadReturnsTheTypedModel(@TempDir Path dir) {
        LatentModel vae = trained.get(0);
        vae.save(dir.resolve("vae"));
        Vae typed = Gen.load(dir.resolve("vae"), Vae.class);
        assertEquals(vae.history().steps(), typed.history().steps());
        CheckpointException wrong = assertThrows(CheckpointException.class, () -> Gen.load(dir.resolve("vae"), Gan.class));
        assertTrue(wrong.getMessage().contains("Vae") && wrong.getMessage().contains("Gan"), wrong.getMessage());
    }

    @Test
    void diffusionSamplesWithFiftyStepDdimUnlessToldOtherwise() {
        Diffusion dm = (Diffusion) trained.get(3);
        assertEquals(Sampler.ddim(50).toString(), dm.defaultSampler().toString());
        Gen.seed(8);
        float[] byDefault = dm.sample(16).values();
        Gen.seed(8);
        assertArrayEquals(dm.sample(16, Sampler.ddim(50)).values(), byDefault);
    }
}
