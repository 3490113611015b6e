package dev.jgen.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.jgen.Gen;
import dev.jgen.data.Dataset;
import dev.jgen.data.Datasets;
import dev.jgen.eval.Mmd;
import dev.jgen.model.diffusion.Diffusion;
import dev.jgen.model.diffusion.NoiseSchedule;
import dev.jgen.model.diffusion.Sampler;
import dev.jgen.model.diffusion.Trajectory;
import dev.jgen.nn.Backend;
import dev.jgen.train.Fit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import dev.jgen.plot.Samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Diffusion: the forward process and schedules against their formulas, toy quality by MMD, DDIM's determinism and inversion. */
class DiffusionTest {
    @TempDir
    Path dir;

    private static Dataset train;
    private static Dataset heldOut;
    private static Diffusion moons;

    @BeforeAll
    static void trainOnMoons() {
        Gen.seed(7);
        Dataset[] parts = Datasets.moons(6000).split(5.0 / 6);
        train = parts[0];
        heldOut = parts[1];
        moons = Gen.diffusion().build();
        moons.fit(train, Fit.steps(TOY_STEPS).batchSize(256).quiet());
    }

    /** About the notebook's budget for the toy: 25 s on two cores. */
    static final int TOY_STEPS = 8000;

    @Test
    void forwardNoisingMatchesItsClosedForm() {
        NoiseSchedule schedule = NoiseSchedule.cosine(1000);
        int draws = 200_000;
        try (NDManager m = Backend.newManager()) {
            for (int t : new int[] {0, 250, 700, 999}) {
                NDArray x0 = m.full(new Shape(draws, 1), 0.8f);
                int[] steps = new int[draws];
                Arrays.fill(steps, t);
                float[] xt = schedule.addNoise(x0, m.randomNormal(x0.getShape()), steps).toFloatArray();
                double mean = Arrays.stream(toDoubles(xt)).average().orElseThrow();
                double variance = Arrays.stream(toDoubles(xt)).map(v -> (v - mean) * (v - mean)).sum() / draws;
                double a = schedule.alphaBar(t);
                // Standard errors at 200k draws are about 0.0022 for the mean and 0.0032 for the variance.
                assertEquals(Math.sqrt(a) * 0.8, mean, 0.01, "mean of x_t given x_0 at t = " + t);
                assertEquals(1 - a, variance, 0.015, "variance of x_t given x_0 at t = " + t);
            }
        }
    }

    @Test
    void schedulesMatchTheirFormulas() {
        NoiseSchedule linear = NoiseSchedule.linear(1000);
        assertEquals(1e-4, linear.beta(0), 1e-12);
        assertEquals(0.02, linear.beta(999), 1e-12);
        assertEquals(1e-4 + 0.0199 * 400 / 999.0, linear.beta(400), 1e-12);
        double product = 1;
        for (int t = 0; t <= 300; t++) {
            product *= 1 - linear.beta(t);
        }
        assertEquals(product, linear.alphaBar(300), 1e-12);

        NoiseSchedule cosine = NoiseSchedule.cosine(1000);
        for (int t : new int[] {0, 100, 500, 900}) {
            assertEquals(cosineF(t + 1) / cosineF(0), cosine.alphaBar(t), 1e-9, "cosine alpha-bar at t = " + t);
        }
        assertEquals(1, cosine.alphaBar(-1));
        assertTrue(cosine.alphaBar(999) < 1e-4 && linear.alphaBar(999) < 1e-4, "the last step is (almost) pure noise");
    }

    private static double cosineF(double u) {
        double c = Math.cos((u / 1000 + 0.008) / 1.008 * Math.PI / 2);
        return c * c;
    }

    @Test
    void toySamplesAreCloserToHeldOutDataThanAFittedGaussian() {
        float[] data = heldOut.toFloatArray();
        Gen.seed(21);
        float[] ddpm = moons.sample(1000, Sampler.ddpm()).values();
        float[] ddim = moons.sample(1000, Sampler.ddim(50)).values();
        double gaussian = Mmd.squared(fittedGaussian(train.toFloatArray(), 1000), data, 2);
        double ddpmMmd = Mmd.squared(ddpm, data, 2);
        double ddimMmd = Mmd.squared(ddim, data, 2);
        assertTrue(ddpmMmd < gaussian / 3, "DDPM MMD^2 " + ddpmMmd + " vs a Gaussian's " + gaussian);
        assertTrue(ddimMmd < gaussian / 3, "DDIM(50) MMD^2 " + ddimMmd + " vs a Gaussian's " + gaussian);
    }

    @Test
    void dpmSolverWith20StepsReachesDdimWith50AndEulerAncestralSamplesTheToy() {
        float[] data = heldOut.toFloatArray();
        double dpm = 0;
        double ddim = 0;
        for (int draw = 0; draw < 3; draw++) {
            Gen.seed(100 + draw);
            dpm += Mmd.squared(moons.sample(1000, Sampler.dpmSolver(20)).values(), data, 2) / 3;
            Gen.seed(100 + draw);
            ddim += Mmd.squared(moons.sample(1000, Sampler.ddim(50)).values(), data, 2) / 3;
        }
        // Both sit near zero (the unbiased estimate can go negative), so "reaches" means within a small share of
        // the distance between the data and a fitted Gaussian; a sampler with too few steps misses that margin.
        double gaussian = Mmd.squared(fittedGaussian(train.toFloatArray(), 1000), data, 2);
        double margin = gaussian / 50;
        Gen.seed(103);
        double coarse = Mmd.squared(moons.sample(1000, Sampler.ddim(3)).values(), data, 2);
        assertTrue(dpm <= ddim + margin, "DPM-Solver++(2M, 20) MMD^2 " + dpm + " vs DDIM(50) " + ddim + " + " + margin);
        assertTrue(coarse > ddim + margin, "the margin tells samplers apart: DDIM(3) MMD^2 " + coarse);
        Gen.seed(104);
        double euler = Mmd.squared(moons.sample(1000, Sampler.euler(50)).values(), data, 2);
        assertTrue(euler < gaussian / 3, "Euler ancestral(50) MMD^2 " + euler + " vs a Gaussian's " + gaussian);
    }

    /** A sampler written as a notebook cell would write it, with public methods only: here DDIM by hand. */
    @Test
    void aSamplerWrittenAgainstThePublicApiWorks() {
        Sampler handWritten = new Sampler() {
            @Override
            public int[] timesteps(NoiseSchedule schedule) {
                return Sampler.evenlySpaced(25, schedule.timesteps());
            }

            @Override
            public NDArray step(Step s) {
                return s.mix(Math.sqrt(s.alphaBarPrevious()), s.predictedClean(), Math.sqrt(1 - s.alphaBarPrevious()), s.noise());
            }
        };
        Samples noise = moons.invert(heldOut.take(40), 25);
        assertArrayEquals(moons.sample(noise, Sampler.ddim(25)).values(), moons.sample(noise, handWritten).values(), 1e-4f);
    }

    @Test
    void ddimWithEtaZeroIsDeterministic() {
        Gen.seed(4);
        float[] first = moons.sample(200, Sampler.ddim(30)).values();
        Gen.seed(4);
        float[] again = moons.sample(200, Sampler.ddim(30)).values();
        assertArrayEquals(first, again);
        Samples noise = moons.invert(heldOut.take(50), 30);
        assertArrayEquals(moons.sample(noise, Sampler.ddim(30)).values(), moons.sample(noise, Sampler.ddim(30)).values(),
                "the same noise gives the same samples, whatever the engine's random state");
        Gen.seed(4);
        float[] stochastic = moons.sample(200, Sampler.ddim(30).eta(1)).values();
        assertFalse(Arrays.equals(first, stochastic), "eta 1 adds fresh noise");
    }

    /** Tolerance: root-mean-square error under 0.05 on data whose features have standard deviation ~0.5-0.9. */
    @Test
    void inversionThenSamplingReturnsTheInput() {
        Dataset examples = heldOut.take(200);
        Samples noise = moons.invert(examples, 50);
        float[] back = moons.sample(noise, Sampler.ddim(50)).values();
        float[] x = examples.toFloatArray();
        double squares = 0;
        for (int i = 0; i < x.length; i++) {
            squares += (x[i] - back[i]) * (x[i] - back[i]);
        }
        double rms = Math.sqrt(squares / x.length);
        assertTrue(rms < 0.05, "DDIM inversion round trip RMS error " + rms);
        double noiseMean = Arrays.stream(toDoubles(noise.values())).average().orElseThrow();
        assertEquals(0, noiseMean, 0.2, "inverted data looks like standard noise");
    }

    @Test
    void trajectoryGoesFromNoiseToSamples() {
        Gen.seed(8);
        Trajectory trajectory = moons.trajectory(300, 6, Sampler.ddim(50));
        assertEquals(6, trajectory.frames());
        float[] data = heldOut.toFloatArray();
        double start = Mmd.squared(trajectory.frame(0).values(), data, 2);
        double end = Mmd.squared(trajectory.frame(5).values(), data, 2);
        assertTrue(end < start / 5, "the last frame is much closer to the data than the first: " + end + " vs " + start);
        assertTrue(trajectory.png().length > 1000);
        assertThrows(IllegalArgumentException.class, () -> moons.trajectory(4, 1));
    }

    @Test
    void classifierFreeGuidanceSamplesTheAskedClass() {
        Gen.seed(12);
        Dataset modes = Datasets.gaussians(4000, 4);
        Diffusion dm = Gen.diffusion().conditional().build();
        dm.fit(modes, Fit.steps(1500).batchSize(256).quiet());
        for (int label = 0; label < 4; label++) {
            float[] points = dm.sample(200, label, 3, Sampler.ddim(50)).values();
            double angle = 2 * Math.PI * label / 4;
            int near = 0;
            for (int i = 0; i < 200; i++) {
                double dx = points[2 * i] - 2 * Math.cos(angle);
                double dy = points[2 * i + 1] - 2 * Math.sin(angle);
                near += Math.sqrt(dx * dx + dy * dy) < 0.5 ? 1 : 0;
            }
            assertTrue(near >= 180, near + " of 200 samples of class " + label + " lie near its mode");
        }
        assertThrows(IllegalArgumentException.class, () -> dm.sample(4, 9, 2));
        assertThrows(IllegalStateException.class, () -> moons.sample(4, 0, 2), "an unconditional model says how to get a conditional one");
    }

    @Test
    void uNetTrainsOnImagesSavesAndResumesExactly() {
        Dataset images = Datasets.fashionMnist().take(256);
        CheckpointTest.assertSavesAndResumesExactly(() -> Gen.diffusion().timesteps(20).channels(8).build(), images, dir);
        Gen.seed(1);
        Diffusion dm = Gen.diffusion().timesteps(20).channels(8).attention().conditional().build();
        dm.fit(images, Fit.steps(3).batchSize(32).quiet());
        assertEquals(4, dm.sample(4, 3).size(), "sample(n, label): the one conditional call every family has");
        Samples grid = dm.perClass(2, Sampler.ddim(5));
        assertEquals(new Shape(20, 1, 28, 28), grid.shape());
        float[] pixels = grid.values();
        assertTrue(Arrays.stream(toDoubles(pixels)).allMatch(v -> v >= 0 && v <= 1), "images come back in [0, 1]");
        assertEquals(new Shape(3, 1, 28, 28), dm.interpolate(images.take(2), 3).shape(),
                "a conditional model with a short schedule inverts (without labels) and interpolates");
        Trajectory trajectory = dm.trajectory(3, 4);
        assertEquals(new Shape(3, 1, 28, 28), trajectory.frame(3).shape());
        dm.save(dir.resolve("conditional"));
        Diffusion loaded = (Diffusion) Gen.load(dir.resolve("conditional"));
        Gen.seed(2);
        float[] saved = dm.sample(4, 3, 2, Sampler.ddim(5)).values();
        Gen.seed(2);
        assertArrayEquals(saved, loaded.sample(4, 3, 2, Sampler.ddim(5)).values());
    }

    @Test
    void badInputIsExplained() {
        Diffusion fresh = Gen.diffusion().build();
        IllegalStateException untrained = assertThrows(IllegalStateException.class, () -> fresh.sample(4));
        assertTrue(untrained.getMessage().contains("fit"), untrained.getMessage());
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> moons.sample(4, Sampler.ddim(5000)));
        assertTrue(tooMany.getMessage().contains("1000"), tooMany.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> moons.fit(Datasets.fashionMnist().take(10), Fit.steps(1).quiet()));
        assertTrue(shape.getMessage().contains("(2)") && shape.getMessage().contains("(1, 28, 28)"), shape.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Gen.diffusion().channels(12));
        assertThrows(IllegalArgumentException.class, () -> Sampler.ddim(10).eta(2));
    }

    /** Points drawn from the Gaussian with the data's mean and covariance: the baseline any generator must beat. */
    private static float[] fittedGaussian(float[] points, int n) {
        int count = points.length / 2;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < count; i++) {
            mx += points[2 * i] / count;
            my += points[2 * i + 1] / count;
        }
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (int i = 0; i < count; i++) {
            double dx = points[2 * i] - mx;
            double dy = points[2 * i + 1] - my;
            sxx += dx * dx / count;
            sxy += dx * dy / count;
            syy += dy * dy / count;
        }
        // Cholesky factor of the 2x2 covariance.
        double l11 = Math.sqrt(sxx);
        double l21 = sxy / l11;
        double l22 = Math.sqrt(syy - l21 * l21);
        Random random = new Random(99);
        float[] out = new float[2 * n];
        for (int i = 0; i < n; i++) {
            double a = random.nextGaussian();
            double b = random.nextGaussian();
            out[2 * i] = (float) (mx + l11 * a);
            out[2 * i + 1] = (float) (my + l21 * a + l22 * b);
        }
        return out;
    }

    private static double[] toDoubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
