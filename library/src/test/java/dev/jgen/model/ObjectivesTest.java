package dev.jgen.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.jgen.Gen;
import dev.jgen.data.Dataset;
import dev.jgen.data.Datasets;
import dev.jgen.model.diffusion.Diffusion;
import dev.jgen.model.flow.Flow;
import dev.jgen.model.gan.Gan;
import dev.jgen.model.vae.Vae;
import dev.jgen.nn.Backend;
import dev.jgen.train.Adam;
import dev.jgen.train.Fit;
import dev.jgen.train.Terms;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every family's objective is public, and fit is only a loop around it: a loop written by hand with the
 * objective and jgen's Adam, over the same batches, ends with exactly the weights fit ends with.
 */
class ObjectivesTest {
    private static final Dataset MOONS = Datasets.moons(300);
    private static final int STEPS = 3;
    private static final int BATCH = 100;

    /** One hand-written step: the model, a batch on its device, the optimizer. */
    private interface OwnStep<M> {
        void run(M model, NDArray x, Adam adam);
    }

    @Test
    void vaeObjective() {
        Map<String, Double> v = assertOwnLoopEqualsFit(() -> Gen.vae().build(), new Adam(),
                (vae, x, adam) -> adam.minimise(() -> vae.objective(x), vae.networks(), 1e-3),
                (vae, x) -> vae.objective(x));
        assertEquals(List.of("loss", "recon", "kl"), List.copyOf(v.keySet()));
        assertEquals(v.get("recon") + v.get("kl"), v.get("loss"), 1e-4, "the loss is the negative ELBO, recon + kl");
    }

    @Test
    void flowObjective() {
        assertOwnLoopEqualsFit(() -> Gen.flow().build(), new Adam(),
                (flow, x, adam) -> adam.minimise(() -> flow.objective(x), flow.networks(), 1e-3),
                (flow, x) -> flow.objective(x));
    }

    @Test
    void diffusionObjective() {
        assertOwnLoopEqualsFit(() -> Gen.diffusion().ema(false).build(), new Adam(),
                (dm, x, adam) -> adam.minimise(() -> dm.objective(x, null), dm.networks(), 1e-3),
                (dm, x) -> dm.objective(x, null));
    }

    @Test
    void ganObjectivesAlternate() {
        Map<String, Double> d = assertOwnLoopEqualsFit(() -> Gen.gan().ema(false).build(), new Adam(0.5, 0.999), (gan, x, adam) -> {
            Block discriminator = gan.networks().get("discriminator");
            adam.minimise(() -> gan.discriminatorObjective(x, null), Map.of("discriminator", discriminator), 1e-3);
            discriminator.freezeParameters(true);
            adam.minimise(() -> gan.generatorObjective(x, null), Map.of("generator", gan.networks().get("generator")), 1e-3);
            discriminator.freezeParameters(false);
        }, (gan, x) -> gan.discriminatorObjective(x, null));
        assertEquals(List.of("d_loss", "D(real)", "D(fake)"), List.copyOf(d.keySet()));
        double real = d.get("D(real)");
        assertTrue(real > 0 && real < 1, "D(real) is a probability: " + real);
    }

    /**
     * Trains one model with fit and a twin with {@code ownStep} over the batches fit would draw (same seed),
     * asserts both sample the same, and returns the objective's terms on a batch for the caller to check.
     */
    private static <M extends ModelBase & LatentModel> Map<String, Double> assertOwnLoopEqualsFit(Supplier<M> fresh, Adam adam, OwnStep<M> ownStep,
                                                                                   BiFunction<M, NDArray, Terms> objective) {
        Gen.seed(4);
        M fitted = fresh.get();
        fitted.fit(MOONS, Fit.steps(STEPS).batchSize(BATCH).quiet());

        Gen.seed(4);
        M own = fresh.get();
        own.prepare(MOONS);
        // fit's loop draws its shuffling from the seeded generator right after building the networks.
        int[] order = Dataset.permutation(MOONS.size(), Backend.newRandom());
        for (int s = 0; s < STEPS; s++) {
            try (NDManager batch = Backend.newManager()) {
                ownStep.run(own, MOONS.batch(batch, s * BATCH, (s + 1) * BATCH, order), adam);
            }
        }
        Backend.inferenceMode();

        Gen.seed(6);
        float[] fromFit = fitted.sample(64).values();
        Gen.seed(6);
        float[] fromOwnLoop = own.sample(64).values();
        assertArrayEquals(fromFit, fromOwnLoop, 1e-5f, fitted.getClass().getSimpleName() + ": the hand-written loop trains exactly as fit does");

        try (NDManager batch = Backend.newManager()) {
            Map<String, Double> values = objective.apply(own, MOONS.batch(batch, 0, BATCH, null)).values();
            assertTrue(values.values().stream().allMatch(Double::isFinite), values.toString());
            return values;
        }
    }
}
