package dev.jgen;

import dev.jgen.data.Dataset;
import dev.jgen.data.Datasets;
import dev.jgen.eval.ImageFeatures;
import dev.jgen.eval.SampleQuality;
import dev.jgen.model.flow.Flow;
import dev.jgen.model.gan.Gan;
import dev.jgen.model.vae.Vae;
import dev.jgen.train.Fit;
import dev.jgen.train.History;
import dev.jgen.train.TrainingListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Evaluation cards on Fashion-MNIST and the moons: every metric present, the floor below the models, noise far above. */
class EvaluateTest {
    private static Dataset train;
    private static Dataset test;
    private static Vae vae;

    @BeforeAll
    static void train() {
        Gen.seed(17);
        train = Datasets.fashionMnist();
        test = Datasets.fashionMnistTest();
        vae = Gen.vae().latent(16).build();
        vae.fit(train.take(20000), Fit.epochs(3).batchSize(128).quiet());
    }

    @Test
    void aVaeCardHasSampleQualityLikelihoodsCostsAndARealDataFloor() {
        long start = System.nanoTime();
        Evaluation card = Evaluate.model(vae).reference(train).samples(500).on(test);
        System.out.printf("card in %.1f s:%n%s", (System.nanoTime() - start) / 1e9, card);
        for (String metric : List.of("fcd", "kid", "kid_std", "precision", "recall", "elbo", "iwae", "sample_ms", "parameters", "train_s")) {
            assertTrue(Double.isFinite(card.get(metric)), metric + " = " + card.get(metric));
        }
        assertEquals(List.of("Vae", Evaluation.REAL_DATA), card.rowNames());
        assertTrue(card.floor("fcd") < card.get("fcd") / 3, "floor " + card.floor("fcd") + " vs the VAE's " + card.get("fcd"));
        assertTrue(card.get("iwae") >= card.get("elbo") - 0.5, "the importance-weighted bound is the tighter one: "
                + card.get("iwae") + " vs " + card.get("elbo"));
        assertTrue(card.get("precision") >= 0 && card.get("recall") <= 1);
        assertEquals(2, card.table().rowCount());
        assertTrue(card.render().data().containsKey("text/html"));
        assertTrue(card.notes().get(0).contains("classifier"), card.notes().get(0));
        assertThrows(IllegalArgumentException.class, () -> card.get("inception"));
        Evaluation two = Evaluate.compare(vae, vae).reference(train).samples(200).on(test);
        assertEquals(List.of("Vae", "Vae 2", Evaluation.REAL_DATA), two.rowNames());
        String html = (String) two.render().data().get("text/html");
        assertEquals(2, html.split("<img ", -1).length - 1, "a comparison shows each model's samples side by side");
    }

    @Test
    void unlabelledImagesAreComparedInPooledPixelsAndTheCardSaysSo() {
        Dataset unlabelled = Dataset.of("unlabelled", test.take(300).toFloatArray(), test.exampleShape(), null);
        ImageFeatures pixels = ImageFeatures.forData(unlabelled);
        assertEquals(49, pixels.dim());
        assertTrue(pixels.description().contains("no labels"), pixels.description());
        Evaluation card = Evaluate.model(vae).reference(unlabelled).samples(150).on(unlabelled);
        assertTrue(card.notes().get(0).contains("pixels average-pooled"), card.notes().get(0));
        assertTrue(Double.isFinite(card.get("fcd")));
    }

    @Test
    void realDataScoresFarBelowNoiseAndAnUntrainedGenerator() {
        ImageFeatures features = ImageFeatures.forData(train);
        assertSame(features, ImageFeatures.forData(train), "the classifier is trained once per data set");
        assertTrue(features.accuracy() > 0.8, features.description());
        float[] real = features.of(test.take(500).toFloatArray());
        double floor = SampleQuality.between(real, features.of(train.take(500).toFloatArray()), features.dim()).get("fcd");
        float[] noise = new float[500 * 784];
        Random random = new Random(1);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = random.nextFloat();
        }
        double noiseFcd = SampleQuality.between(real, features.of(noise), features.dim()).get("fcd");
        Gan untrained = Gen.gan().build();
        untrained.fit(train.take(64), Fit.steps(1).batchSize(64).quiet());
        double untrainedFcd = Evaluate.model(untrained).reference(train).samples(500).on(test).get("fcd");
        System.out.printf("FCD: real vs real %.2f, uniform noise %.2f, a GAN after one step %.2f%n", floor, noiseFcd, untrainedFcd);
        assertTrue(noiseFcd > 10 * floor && untrainedFcd > 10 * floor, floor + " " + noiseFcd + " " + untrainedFcd);
    }

    @Test
    void metricsWhileTrainingGoIntoTheHistoryAndKeepTheBestCheckpoint(@TempDir Path dir) {
        Gen.seed(4);
        Vae model = Gen.vae().latent(8).build();
        List<Double> shown = new ArrayList<>();
        History h = model.fit(train.take(3000), Fit.epochs(3).batchSize(128).quiet().evaluateEvery(1, test.take(300))
                .checkpointEvery(1, dir).keepBest("fcd").listen(TrainingListener.eachEpoch(p -> shown.add(p.metrics().get("fcd")))));
        double[] fcd = h.epochMetric("fcd");
        System.out.println("FCD after each epoch: " + Arrays.toString(fcd));
        assertEquals(3, fcd.length);
        for (double v : fcd) {
            assertTrue(Double.isFinite(v) && v > 0, Arrays.toString(fcd));
        }
        assertEquals(3, shown.size(), "the dashboard's epoch events carry the FCD");
        assertEquals(fcd[2], shown.get(2), 1e-9);
        assertTrue(h.metrics().containsAll(List.of("kid", "precision", "recall")), h.metrics().toString());
        int bestEpoch = 0;
        for (int e = 1; e < fcd.length; e++) {
            bestEpoch = fcd[e] < fcd[bestEpoch] ? e : bestEpoch;
        }
        Vae best = Gen.load(dir.resolve("best"), Vae.class);
        assertEquals(bestEpoch + 1, best.history().epochs(), "dir/best holds the model after the epoch with the lowest FCD");
        assertThrows(IllegalArgumentException.class, () -> Fit.epochs(1).evaluateEvery(0, test));
    }

    @Test
    void aComparisonOfPointModelsUsesMmdAndExactLikelihoods() {
        Gen.seed(2);
        Dataset moons = Datasets.moons(3000);
        Flow flow = Gen.flow().build();
        flow.fit(moons, Fit.steps(300).batchSize(256).quiet());
        Vae pointVae = Gen.vae().latent(2).build();
        pointVae.fit(moons, Fit.steps(300).batchSize(256).quiet());
        Evaluation card = Evaluate.compare(flow, pointVae).samples(500).on(Datasets.moons(1000, 0.1, 9));
        System.out.println(card);
        assertEquals(List.of("Flow", "Vae", Evaluation.REAL_DATA), card.rowNames());
        assertTrue(Double.isFinite(card.get("Flow", "log_likelihood")));
        assertTrue(Double.isNaN(card.get("Flow", "elbo")));
        assertTrue(card.floor("mmd") < card.get("Flow", "mmd"), card.toString());
    }
}
