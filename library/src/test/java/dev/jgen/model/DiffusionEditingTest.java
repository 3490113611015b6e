package dev.jgen.model;

import dev.jgen.Gen;
import dev.jgen.data.Dataset;
import dev.jgen.data.Datasets;
import dev.jgen.model.diffusion.Diffusion;
import dev.jgen.model.diffusion.Mask;
import dev.jgen.plot.Samples;
import dev.jgen.train.Fit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Editing real images with a diffusion model trained on Fashion-MNIST: inpainting (RePaint), SDEdit and denoising. */
class DiffusionEditingTest {
    private static Diffusion dm;
    private static Dataset train;
    private static Dataset test;

    @BeforeAll
    static void train() {
        Gen.seed(11);
        train = Datasets.fashionMnist().take(10000);
        test = Datasets.fashionMnistTest().take(16);
        dm = Gen.diffusion().channels(16).build();
        dm.fit(train, Fit.steps(600).batchSize(64).quiet());
    }

    @Test
    void inpaintingBringsTheMaskedBlockCloserToTheTruthThanTheMeanImage() {
        Mask block = Mask.rectangle(8, 8, 12, 12);
        float[] inside = block.over(test.size(), test.exampleShape());
        float[] truth = test.toFloatArray();
        float[] painted = dm.inpaint(test, block).values();
        float[] mean = meanImage(train);
        double paintedError = 0;
        double meanError = 0;
        int pixels = 0;
        for (int i = 0; i < truth.length; i++) {
            if (inside[i] == 1) {
                paintedError += square(painted[i] - truth[i]);
                meanError += square(mean[i % mean.length] - truth[i]);
                pixels++;
            } else {
                assertEquals(truth[i], painted[i], 1e-5, "pixels outside the mask stay as they were");
            }
        }
        System.out.printf("masked block MSE: inpainted %.4f, mean-image fill %.4f%n", paintedError / pixels, meanError / pixels);
        assertTrue(paintedError < meanError, "inpainted " + paintedError / pixels + " vs mean image " + meanError / pixels);
    }

    @Test
    void editAtStrengthZeroReturnsTheImagesAndStrongerEditsMoveFurther() {
        assertArrayEquals(test.toFloatArray(), dm.edit(test, 0).values(), 0f);
        double weak = distance(dm.edit(test, 0.2), test);
        double medium = distance(dm.edit(test, 0.5), test);
        double strong = distance(dm.edit(test, 0.9), test);
        System.out.printf("SDEdit distance from the input: strength 0.2 %.4f, 0.5 %.4f, 0.9 %.4f%n", weak, medium, strong);
        assertTrue(weak < medium && medium < strong, weak + " < " + medium + " < " + strong);
    }

    @Test
    void denoisingLowersTheErrorAgainstTheCleanImages() {
        float[] clean = test.toFloatArray();
        float[] noisy = clean.clone();
        Random random = new Random(5);
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] += (float) (0.2 * random.nextGaussian());
        }
        Dataset noisyImages = Dataset.of("noisy", noisy, test.exampleShape(), null);
        float[] denoised = dm.denoise(noisyImages, 0.2).values();
        double before = mse(noisy, clean);
        double after = mse(denoised, clean);
        System.out.printf("MSE against the clean images: noisy %.4f, denoised %.4f%n", before, after);
        assertTrue(after < before / 2, "denoised " + after + " vs noisy " + before);
    }

    @Test
    void badMasksAndStrengthsAreExplained() {
        assertThrows(IllegalArgumentException.class, () -> dm.inpaint(test, Mask.rectangle(20, 20, 12, 12)));
        assertThrows(IllegalArgumentException.class, () -> dm.inpaint(test, Mask.of(new float[3][3])));
        assertThrows(IllegalArgumentException.class, () -> dm.edit(test, 1.5));
        assertThrows(IllegalArgumentException.class, () -> dm.denoise(test, 0));
    }

    private static float[] meanImage(Dataset data) {
        float[] all = data.toFloatArray();
        int features = data.features();
        float[] mean = new float[features];
        for (int i = 0; i < all.length; i++) {
            mean[i % features] += all[i] / data.size();
        }
        return mean;
    }

    private static double distance(Samples edited, Dataset original) {
        return mse(edited.values(), original.toFloatArray());
    }

    private static double mse(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += square(a[i] - b[i]);
        }
        return sum / a.length;
    }

    private static double square(double v) {
        return v * v;
    }
}
