package dev.jgen.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.jgen.Gen;
import dev.jgen.data.Dataset;
import dev.jgen.data.Datasets;
import dev.jgen.display.Rendered;
import dev.jgen.model.flow.Flow;
import dev.jgen.nn.Backend;
import dev.jgen.train.Fit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The flow's exactness: invertibility, its log-determinant, a density that integrates to one. */
class FlowTest {
    private static Dataset moons;
    private static Flow flow;
    private static double logProbBefore;

    @BeforeAll
    static void trainOnMoons() {
        Gen.seed(0);
        moons = Datasets.moons(2000);
        flow = Gen.flow().couplings(8).hidden(64).build();
        flow.fit(moons, Fit.steps(1).batchSize(100).quiet());
        logProbBefore = flow.logProb(moons);
        flow.fit(moons, Fit.epochs(40).batchSize(100).lr(3e-3).quiet());
    }

    @Test
    void roundTripThroughTheBaseSpaceIsExact() {
        try (NDManager m = Backend.newManager()) {
            NDArray x = moons.take(200).toNDArray(m);
            NDArray back = flow.decode(flow.encode(x));
            assertTrue(back.sub(x).abs().max().getFloat() < 1e-4f, "max error " + back.sub(x).abs().max().getFloat());
        }
    }

    @Test
    void logDeterminantMatchesANumericalJacobian() {
        // Central differences: truncation error falls as h^2, float32 rounding grows as 1/h; 1e-3 balances them.
        // The couplings' ReLU networks bend at kinks, which a long-trained flow packs so close together near the
        // data that a step may straddle one and measure a mixture of two slopes (seen: 0.09 off at one point
        // after 40 epochs); a flow two epochs in has every term of the formula at work and smooth enough.
        double h = 1e-3;
        Gen.seed(0);
        Flow flow = Gen.flow().couplings(8).hidden(64).build();
        flow.fit(moons, Fit.epochs(2).batchSize(100).lr(3e-3).quiet());
        try (NDManager m = Backend.newManager()) {
            for (int i = 0; i < 8; i++) {
                float[] p = moons.example(i * 97);
                float[] grid = {p[0] + (float) h, p[1], p[0] - (float) h, p[1], p[0], p[1] + (float) h, p[0], p[1] - (float) h};
                float[] z = flow.encode(m.create(grid, new Shape(4, 2))).toFloatArray();
                double j00 = (z[0] - z[2]) / (2 * h);
                double j10 = (z[1] - z[3]) / (2 * h);
                double j01 = (z[4] - z[6]) / (2 * h);
                double j11 = (z[5] - z[7]) / (2 * h);
                double numerical = Math.log(Math.abs(j00 * j11 - j01 * j10));
                double exact = flow.logDetJacobian(m.create(p, new Shape(1, 2))).getFloat(0);
                assertEquals(exact, numerical, 0.02, "at " + p[0] + ", " + p[1]);
            }
        }
    }

    @Test
    void densityIntegratesToOneOverTheMoons() {
        int n = 200;
        double[][] grid = flow.densityGrid(n);
        double cell = (grid[0][1] - grid[0][0]) * (grid[1][1] - grid[1][0]);
        double mass = 0;
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                mass += Math.exp(grid[r + 2][c]) * cell;
            }
        }
        assertEquals(1.0, mass, 0.05);
    }

    @Test
    void trainingRaisesTheLikelihoodAndTheResultsRender() {
        double after = flow.logProb(moons);
        assertTrue(after > logProbBefore + 0.5, "log-likelihood " + logProbBefore + " -> " + after);
        assertEquals("(500, 2)", flow.sample(500).shape().toString());
        assertPng(flow.density().render());
        assertPng(flow.sample(300).render());
        assertEquals(10, flow.interpolate(moons.take(2), 10).slerp().size());
        assertThrows(IllegalStateException.class, () -> flow.bitsPerDim(moons));
    }

    @Test
    void imagesAreDequantisedAndReportedInBitsPerDimension() {
        Gen.seed(4);
        Dataset images = Datasets.fashionMnist().take(512);
        Flow small = Gen.flow().couplings(4).hidden(64).build();
        small.fit(images, Fit.steps(1).batchSize(64).quiet());
        double before = small.bitsPerDim(images);
        small.fit(images, Fit.epochs(3).batchSize(64).quiet());
        double after = small.bitsPerDim(images);
        assertTrue(Double.isFinite(after) && after < before, "bits/dim " + before + " -> " + after);
        assertTrue(small.history().metrics().contains("bpd"));
        try (NDManager m = Backend.newManager()) {
            NDArray x = images.take(8).toNDArray(m);
            assertTrue(small.decode(small.encode(x)).sub(x).abs().max().getFloat() < 1e-4f);
        }
        assertEquals("(4, 1, 28, 28)", small.sample(4).shape().toString());
    }

    @Test
    void savesAndResumesExactly(@TempDir Path dir) {
        CheckpointTest.assertSavesAndResumesExactly(() -> Gen.flow().couplings(4).hidden(32).build(), moons.take(512), dir);
    }

    private static void assertPng(Rendered r) {
        byte[] png = (byte[]) r.data().get(Rendered.PNG);
        assertTrue(png != null && png.length > 1000);
    }
}
