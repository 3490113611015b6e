package dev.jgen.model;

import dev.jgen.Gen;
import dev.jgen.data.Dataset;
import dev.jgen.data.Datasets;
import dev.jgen.model.vae.Vae;
import dev.jgen.plot.Samples;
import dev.jgen.train.Fit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Design variations and attribute directions with a VAE on Fashion-MNIST, judged by a small classifier. */
class DesignVariationTest {
    private static final int SNEAKER = 7;
    private static final int ANKLE_BOOT = 9;
    private static Vae vae;
    private static Dataset train;
    private static Dataset test;
    private static FashionClassifier judge;

    @BeforeAll
    static void train() {
        Gen.seed(13);
        train = Datasets.fashionMnist().take(20000);
        test = Datasets.fashionMnistTest();
        vae = Gen.vae().latent(16).build();
        vae.fit(train, Fit.epochs(3).batchSize(128).quiet());
        judge = new FashionClassifier(train, 2);
    }

    @AfterAll
    static void close() {
        judge.close();
    }

    @Test
    void theAmountZeroEditIsTheReconstruction() {
        Dataset shoes = test.ofClass(SNEAKER).take(3);
        LatentDirection toBoots = vae.direction(train.ofClass(SNEAKER), train.ofClass(ANKLE_BOOT));
        Samples edits = vae.edit(shoes, toBoots, 0);
        assertEquals("(15, 1, 28, 28)", edits.shape().toString());
        float[] reconstructions = vae.reconstruct(shoes).values();
        int image = 784;
        for (int i = 0; i < 3; i++) {
            float[] reconstruction = Arrays.copyOfRange(reconstructions, (3 + i) * image, (4 + i) * image);
            for (int s = 0; s < 5; s++) {
                int at = (i * 5 + s) * image;
                assertArrayEquals(reconstruction, Arrays.copyOfRange(edits.values(), at, at + image), 1e-5f, "example " + i + ", step " + s);
            }
        }
    }

    @Test
    void movingFromSneakersTowardsBootsRaisesTheBootProbability() {
        Dataset shoes = test.ofClass(SNEAKER).take(20);
        LatentDirection toBoots = vae.direction(train.ofClass(SNEAKER), train.ofClass(ANKLE_BOOT));
        float[] edits = vae.edit(shoes, toBoots, 1.5).values();
        float[] p = judge.probabilities(edits);
        double start = 0;
        double end = 0;
        for (int i = 0; i < 20; i++) {
            start += p[(i * 5) * 10 + ANKLE_BOOT] / 20;
            end += p[(i * 5 + 4) * 10 + ANKLE_BOOT] / 20;
        }
        System.out.printf("ankle-boot probability along the sneaker-to-boot direction: %.3f at 0, %.3f at 1.5%n", start, end);
        assertTrue(end > start + 0.3, "boot probability " + start + " -> " + end);
    }

    @Test
    void variationsStayCloseToTheirDesign() {
        Dataset design = test.take(1);
        float[] reconstruction = Arrays.copyOfRange(vae.reconstruct(design).values(), 784, 2 * 784);
        float[] same = vae.vary(design, 4, 0).values();
        assertArrayEquals(reconstruction, Arrays.copyOfRange(same, 3 * 784, 4 * 784), 1e-5f, "spread 0 gives the reconstruction");
        double near = meanDistance(vae.vary(design, 32, 0.5).values(), design.example(0));
        double far = meanDistance(vae.sample(32).values(), design.example(0));
        System.out.printf("mean squared distance to the design: variations %.4f, samples %.4f%n", near, far);
        assertTrue(near < far, near + " vs " + far);
        assertThrows(IllegalArgumentException.class, () -> vae.vary(design, 4, -1));
    }

    private static double meanDistance(float[] images, float[] to) {
        double sum = 0;
        for (int i = 0; i < images.length; i++) {
            double d = images[i] - to[i % to.length];
            sum += d * d;
        }
        return sum / images.length;
    }
}
