package dev.jgen.eval;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sample-quality metrics against independent references: the Fréchet distance and KID of fixed feature
 * sets as Debian's SciPy computes them (src/test/resources/metrics/reference.py wrote features.json; run it
 * again with /usr/bin/python3 to re-create it), and precision, recall and KID in controlled 2-D cases.
 */
class MetricsTest {
    @Test
    void frechetDistanceAndKidMatchSciPy() throws IOException {
        JsonObject reference = JsonParser.parseString(Files.readString(Path.of("src/test/resources/metrics/features.json"))).getAsJsonObject();
        Gson gson = new Gson();
        int dim = reference.get("dim").getAsInt();
        float[] a = gson.fromJson(reference.get("a"), float[].class);
        float[] b = gson.fromJson(reference.get("b"), float[].class);
        double frechet = reference.get("frechet").getAsDouble();
        double kid = reference.get("kid").getAsDouble();
        assertEquals(frechet, FrechetDistance.between(a, b, dim), 1e-6 * frechet, "Fréchet distance vs scipy.linalg.sqrtm");
        assertEquals(kid, Kid.unbiased(a, b, dim), 1e-6 * kid, "unbiased KID vs NumPy");
    }

    @Test
    void kidOfTwoSamplesOfOneDistributionAveragesZero() {
        Random random = new Random(3);
        int repeats = 40;
        double sum = 0;
        double squares = 0;
        for (int r = 0; r < repeats; r++) {
            double value = Kid.unbiased(gaussian(random, 200, 4, 0, 1), gaussian(random, 200, 4, 0, 1), 4);
            sum += value;
            squares += value * value;
        }
        double mean = sum / repeats;
        double standardError = Math.sqrt((squares / repeats - mean * mean) / repeats);
        double shifted = Kid.unbiased(gaussian(random, 200, 4, 0, 1), gaussian(random, 200, 4, 0.5, 1), 4);
        System.out.printf("KID of one distribution: mean %.5f (standard error %.5f); with the mean shifted by 0.5: %.4f%n", mean, standardError, shifted);
        assertTrue(Math.abs(mean) < 3 * standardError, "mean " + mean + ", standard error " + standardError);
        assertTrue(shifted > 20 * standardError, "shifted: " + shifted);
    }

    @Test
    void precisionFallsWithNoisedSamplesAndRecallWhenAModeIsDropped() {
        Random random = new Random(5);
        float[] real = twoModes(random, 600, true);
        PrecisionRecall same = PrecisionRecall.of(real, twoModes(random, 600, true), 2);
        float[] noised = twoModes(random, 600, true);
        for (int i = 0; i < noised.length; i++) {
            noised[i] += (float) (0.8 * random.nextGaussian());
        }
        PrecisionRecall noisy = PrecisionRecall.of(real, noised, 2);
        PrecisionRecall oneMode = PrecisionRecall.of(real, twoModes(random, 600, false), 2);
        System.out.printf("precision/recall: same %.2f/%.2f, noised %.2f/%.2f, one mode dropped %.2f/%.2f%n",
                same.precision(), same.recall(), noisy.precision(), noisy.recall(), oneMode.precision(), oneMode.recall());
        assertTrue(same.precision() > 0.9 && same.recall() > 0.9, same.toString());
        assertTrue(noisy.precision() < same.precision() - 0.3, noisy.toString());
        assertTrue(oneMode.recall() < 0.6 && oneMode.precision() > 0.9, oneMode.toString());
    }

    /** n points around (-3, 0) and (3, 0), or only around (-3, 0). */
    private static float[] twoModes(Random random, int n, boolean both) {
        float[] points = new float[2 * n];
        for (int i = 0; i < n; i++) {
            double centre = both && i % 2 == 1 ? 3 : -3;
            points[2 * i] = (float) (centre + 0.3 * random.nextGaussian());
            points[2 * i + 1] = (float) (0.3 * random.nextGaussian());
        }
        return points;
    }

    private static float[] gaussian(Random random, int n, int dim, double mean, double std) {
        float[] values = new float[n * dim];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (mean + std * random.nextGaussian());
        }
        return values;
    }
}
