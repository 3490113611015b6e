package dev.jgen.eval;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A card from merged sums equals the card from all rows at once, and FCD and KID equal their direct computations. */
class FeatureSumsTest {
    private static final int DIM = 10;

    /** Rows of three standard normals (shifted by {@code shift}) and a one-hot choice among seven, as table features look. */
    private static float[] rows(int n, double shift, double[] choice, long seed) {
        Random random = new Random(seed);
        float[] out = new float[n * DIM];
        for (int r = 0; r < n; r++) {
            for (int a = 0; a < 3; a++) {
                out[r * DIM + a] = (float) (random.nextGaussian() + shift * (a + 1) / 3);
            }
            double u = random.nextDouble();
            int slot = 0;
            while (slot < 6 && u > choice[slot]) {
                u -= choice[slot++];
            }
            out[r * DIM + 3 + slot] = 1;
        }
        return out;
    }

    private static final double[] EVEN = {1 / 7.0, 1 / 7.0, 1 / 7.0, 1 / 7.0, 1 / 7.0, 1 / 7.0, 1 / 7.0};
    private static final double[] SKEWED = {0.4, 0.2, 0.1, 0.1, 0.1, 0.05, 0.05};

    @Test
    void sumsMergedFromAnySplitGiveTheCardOfTheWhole() {
        float[] real = rows(600, 0, EVEN, 1);
        float[] generated = rows(500, 0.5, SKEWED, 2);
        Map<String, Double> whole = FeatureSums.card(real, generated, DIM);

        double bandwidth = FeatureSums.of(real, DIM, 0).spread();
        FeatureSums realParts = new FeatureSums(DIM, bandwidth);
        for (int[] part : new int[][] {{0, 17}, {17, 300}, {300, 301}, {301, 600}}) {
            realParts.merge(FeatureSums.of(Arrays.copyOfRange(real, part[0] * DIM, part[1] * DIM), DIM, bandwidth));
        }
        FeatureSums generatedParts = FeatureSums.of(Arrays.copyOfRange(generated, 0, 250 * DIM), DIM, bandwidth)
                .merge(FeatureSums.of(Arrays.copyOfRange(generated, 250 * DIM, 500 * DIM), DIM, bandwidth));
        Map<String, Double> merged = FeatureSums.card(realParts, generatedParts);

        for (String metric : whole.keySet()) {
            assertEquals(whole.get(metric), merged.get(metric), 1e-9 * Math.max(1, Math.abs(whole.get(metric))), metric);
        }
        assertEquals(600, merged.get("real_rows"));
        assertEquals(500, merged.get("generated_rows"));
    }

    @Test
    void fcdAndKidEqualTheirComputationFromTheRowsAndMmdTracksTheExactGaussianKernel() {
        float[] real = rows(700, 0, EVEN, 3);
        float[] generated = rows(400, 0.8, SKEWED, 4);
        float[] likeReal = rows(400, 0, EVEN, 5);
        Map<String, Double> apart = FeatureSums.card(real, generated, DIM);
        Map<String, Double> alike = FeatureSums.card(real, likeReal, DIM);

        assertEquals(FrechetDistance.between(real, generated, DIM), apart.get("fcd"), 1e-9 * apart.get("fcd"));
        assertEquals(Kid.unbiased(real, generated, DIM), apart.get("kid"), 1e-12);
        assertEquals(Kid.unbiased(real, likeReal, DIM), alike.get("kid"), 1e-12);

        double bandwidth = FeatureSums.of(real, DIM, 0).spread();
        double exactApart = Mmd.squared(real, generated, DIM, bandwidth);
        double exactAlike = Mmd.squared(real, likeReal, DIM, bandwidth);
        assertEquals(exactApart, apart.get("mmd"), 0.15 * exactApart, "random Fourier features approximate the Gaussian kernel");
        assertTrue(apart.get("mmd") > 5 * Math.abs(alike.get("mmd")), apart + " against " + alike + " (exact " + exactApart + ", " + exactAlike + ")");
        assertTrue(apart.get("fcd") > 5 * alike.get("fcd") && apart.get("kid") > 5 * Math.abs(alike.get("kid")), apart + " against " + alike);
    }

    @Test
    void tooManyFeaturesOrMismatchedSumsSayWhatToDo() {
        IllegalArgumentException wide = assertThrows(IllegalArgumentException.class, () -> new FeatureSums(784, 1));
        assertTrue(wide.getMessage().contains("784") && wide.getMessage().contains("reduce"), wide.getMessage());
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
                () -> new FeatureSums(4, 1).merge(new FeatureSums(5, 1)));
        assertTrue(mismatch.getMessage().contains("same features"), mismatch.getMessage());
    }
}
