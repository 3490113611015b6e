package dev.jgen.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.jgen.Gen;
import dev.jgen.data.Dataset;
import dev.jgen.data.Datasets;
import dev.jgen.display.Rendered;
import dev.jgen.model.vae.Vae;
import dev.jgen.nn.Backend;
import dev.jgen.plot.Figure;
import dev.jgen.train.Fit;
import dev.jgen.train.History;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import dev.jgen.plot.Samples;


import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A small VAE trained once on 2,000 Fashion-MNIST images, then probed from every side. */
class VaeTest {
    private static Dataset train;
    private static Dataset test;
    private static Vae vae;
    private static double elboBefore;
    private static History history;

    @BeforeAll
    static void trainOnce() {
        Gen.seed(1);
        train = Datasets.fashionMnist().take(2000);
        test = Datasets.fashionMnistTest().take(500);
        vae = Gen.vae().latent(8).hidden(256).build();
        vae.fit(train, Fit.steps(1).batchSize(64).quiet());
        elboBefore = vae.elbo(test);
        history = vae.fit(train, Fit.epochs(4).batchSize(64).quiet());
    }

    @Test
    void lossFallsOverTraining() {
        double[] epochs = history.epochMetric("loss");
        assertEquals(5, epochs.length, "one step-limited epoch plus four full ones");
        assertTrue(epochs[4] < epochs[1] - 20, "epoch means " + java.util.Arrays.toString(epochs));
        assertEquals(1 + 4 * 32, history.steps());
        assertEquals(history.steps(), history.table().rowCount());
    }

    @Test
    void eachEpochRecordsTheTimeItWaitedForData() {
        double[] seconds = history.epochSeconds();
        double[] waited = history.epochDataSeconds();
        assertEquals(seconds.length, waited.length);
        for (int e = 0; e < seconds.length; e++) {
            // Every step waits for its batch, however briefly: zero would mean the wait was never measured.
            assertTrue(waited[e] > 0 && waited[e] < seconds[e], "epoch " + e + ": waited " + waited[e] + " s of " + seconds[e]);
        }
    }

    @Test
    void elboIsFiniteAndImproves() {
        double after = vae.elbo(test);
        assertTrue(Double.isFinite(after));
        assertTrue(after > elboBefore + 50, "ELBO before " + elboBefore + ", after " + after);
        // No Bernoulli model can give pixels x more log-likelihood than sum x log x + (1-x) log(1-x); a
        // trained VAE must beat the model that predicts every pixel by its mean over the training images.
        double ceiling = meanLogLikelihood(test, test.toFloatArray());
        double baseline = meanLogLikelihood(test, pixelMeans(train));
        assertTrue(after <= ceiling, "ELBO " + after + " above the best possible log-likelihood " + ceiling);
        assertTrue(after > baseline, "ELBO " + after + " no better than the mean-pixel model's " + baseline);
    }

    /** Mean over examples of the Bernoulli log-likelihood of {@code data} under pixel probabilities {@code p} (one image, or one per example). */
    private static double meanLogLikelihood(Dataset data, float[] p) {
        float[] x = data.toFloatArray();
        double total = 0;
        for (int i = 0; i < x.length; i++) {
            double q = Math.min(Math.max(p[i % p.length], 1e-7), 1 - 1e-7);
            total += x[i] * Math.log(q) + (1 - x[i]) * Math.log(1 - q);
        }
        return total / data.size();
    }

    private static float[] pixelMeans(Dataset data) {
        float[] x = data.toFloatArray();
        int pixels = x.length / data.size();
        float[] mean = new float[pixels];
        for (int i = 0; i < x.length; i++) {
            mean[i % pixels] += x[i] / data.size();
        }
        return mean;
    }

    @Test
    void reconstructionIsCloserToItsInputThanToAnotherExample() {
        try (NDManager m = Backend.newManager()) {
            NDArray x = test.take(64).toNDArray(m);
            NDArray back = vae.decode(vae.encode(x));
            assertEquals(x.getShape(), back.getShape());
            float own = x.sub(back).square().sum().getFloat();
            NDArray codes = vae.encode(test.take(64));
            assertEquals("(64, 8)", codes.getShape().toString());
            assertTrue(codes.sub(vae.encode(x)).abs().max().getFloat() < 1e-4f, "both encode paths agree");
            NDArray shuffled = test.shuffle(3).take(64).toNDArray(m);
            float other = shuffled.sub(back).square().sum().getFloat();
            assertTrue(own < 0.6 * other, "own error " + own + ", against other examples " + other);
        }
    }

    @Test
    void samplesInterpolationsAndMapsRender() {
        Samples s = vae.sample(16);
        assertEquals("(16, 1, 28, 28)", s.shape().toString());
        assertPng(s.render());
        Samples r = vae.reconstruct(test.take(8));
        assertEquals(16, r.size());
        Interpolation linear = vae.interpolate(test.take(4), 7);
        assertEquals(14, linear.size());
        Interpolation slerp = linear.slerp();
        assertEquals(Interpolation.Kind.SLERP, slerp.kind());
        assertArrayEquals(first(linear.values(), 784), first(slerp.values(), 784), 1e-5f, "both start at example 0");
        assertNotEquals(linear.values()[784 * 3 + 400], slerp.values()[784 * 3 + 400]);
        Figure map = vae.latentMap(test.take(300));
        assertPng(map.render());
        assertPng(history.render());
        assertPng(train.render());
    }

    @Test
    void wrongShapeSaysExpectedAndGot() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> vae.fit(Datasets.moons(100), Fit.defaults().quiet()));
        assertTrue(e.getMessage().contains("(1, 28, 28)") && e.getMessage().contains("(2)"), e.getMessage());
        assertEquals(history.steps(), vae.history().steps(), "a rejected fit leaves the history alone");
    }

    @Test
    void interruptedFitKeepsFinishedStepsAndTheModelStaysUsable() {
        Vae other = Gen.vae().latent(4).hidden(64).build();
        other.fit(train, Fit.steps(3).quiet());
        Thread.currentThread().interrupt();
        assertThrows(dev.jgen.train.TrainingInterrupted.class, () -> other.fit(train, Fit.epochs(2).quiet()));
        assertEquals(3, other.history().steps());
        assertEquals(4, other.sample(4).size());
    }

    @Test
    void twoDimensionalDataGetsAGaussianVae() {
        Gen.seed(5);
        Dataset moons = Datasets.moons(2000);
        Vae small = Gen.vae().latent(2).hidden(64, 64).build();
        History h = small.fit(moons, Fit.epochs(15).batchSize(100).lr(3e-3).quiet());
        double[] loss = h.epochMetric("loss");
        assertTrue(loss[loss.length - 1] < loss[0] - 0.5, java.util.Arrays.toString(loss));
        Samples s = small.sample(500);
        assertEquals("(500, 2)", s.shape().toString());
        assertPng(s.render());
        assertPng(small.latentMap(moons.take(500)).render());
    }

    @Test
    void noInitialisationMakesTheFirstStepsDiverge() {
        Dataset moons = Datasets.moons(300);
        for (int run = 0; run < 300; run++) {
            Gen.seed(run);
            Vae fresh = Gen.vae().latent(2).hidden(32).build();
            History h = fresh.fit(moons, Fit.steps(3).batchSize(50).quiet());
            // Unbounded log-variances started some runs near 1e25 and the next step at NaN; with the
            // bounds the worst start on moons is a few 1e4 (decoder variance e^-9 times a squared error).
            double first = h.metric("loss")[0];
            assertTrue(first < 1e6, "seed " + run + " starts at loss " + first);
            assertTrue(Double.isFinite(h.metric("loss")[2]), "seed " + run + " diverged");
        }
    }

    @Test
    void convolutionalVaeTrains() {
        Gen.seed(2);
        Vae conv = Gen.vae().latent(8).hidden(128).conv().build();
        History h = conv.fit(train.take(512), Fit.epochs(2).batchSize(64).quiet());
        double[] loss = h.epochMetric("loss");
        assertTrue(loss[1] < loss[0], java.util.Arrays.toString(loss));
        assertEquals("(4, 1, 28, 28)", conv.sample(4).shape().toString());
    }

    @Test
    void outsideANotebookProgressIsAConsoleBar() {
        java.io.PrintStream original = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, true));
        try {
            Gen.vae().latent(2).hidden(16).build().fit(train.take(256), Fit.steps(4).batchSize(64));
        } finally {
            System.setOut(original);
        }
        String out = captured.toString();
        assertTrue(out.contains("VAE") && out.contains("4/4") && out.contains("loss="), out);
    }

    private static float[] first(float[] values, int n) {
        return java.util.Arrays.copyOf(values, n);
    }

    private static void assertPng(Rendered r) {
        byte[] png = (byte[]) r.data().get(Rendered.PNG);
        assertTrue(png != null && png.length > 1000, "expected a PNG");
        assertEquals((byte) 0x89, png[0]);
    }
}
