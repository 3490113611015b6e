package dev.jgen.model;

import ai.djl.ndarray.types.Shape;
import dev.jgen.Gen;
import dev.jgen.data.Dataset;
import dev.jgen.data.Datasets;
import dev.jgen.display.Rendered;
import dev.jgen.model.diffusion.Diffusion;
import dev.jgen.model.flow.Flow;
import dev.jgen.model.gan.Gan;
import dev.jgen.model.vae.Vae;
import dev.jgen.plot.Samples;
import dev.jgen.train.Fit;
import dev.jgen.train.History;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every family on colour images read from a folder of PNGs: 3 x 12 x 16 (not square, a multiple of 4),
 * coloured discs on dark backgrounds, one class folder per colour. Brief training, then shapes,
 * finiteness, a falling loss, and colour in the rendered grids.
 */
class ColourImagesTest {
    private static final Shape EXAMPLE = new Shape(3, 12, 16);
    private static Dataset discs;

    @BeforeAll
    static void drawDiscs(@TempDir Path dir) throws IOException {
        Random random = new Random(3);
        Color[] colours = {new Color(230, 40, 40), new Color(40, 200, 60), new Color(50, 80, 240)};
        String[] names = {"red", "green", "blue"};
        for (int c = 0; c < 3; c++) {
            Files.createDirectories(dir.resolve(names[c]));
            for (int i = 0; i < 80; i++) {
                BufferedImage image = new BufferedImage(32, 24, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = image.createGraphics();
                g.setColor(new Color(random.nextInt(40), random.nextInt(40), random.nextInt(40)));
                g.fillRect(0, 0, 32, 24);
                g.setColor(colours[c]);
                g.fillOval(4 + random.nextInt(12), 2 + random.nextInt(8), 12, 12);
                g.dispose();
                ImageIO.write(image, "png", dir.resolve(names[c]).resolve(i + ".png").toFile());
            }
        }
        discs = Datasets.images(dir, 12, 16);
        assertEquals(new Shape(240, 3, 12, 16), discs.shape());
    }

    @Test
    void vaeWithDenseAndConvolutionalNetworksReconstructsAndInterpolatesInColour() {
        for (boolean conv : new boolean[] {false, true}) {
            Gen.seed(1);
            Vae vae = (conv ? Gen.vae().conv() : Gen.vae()).latent(8).build();
            History history = vae.fit(discs, Fit.epochs(6).batchSize(32).quiet());
            assertFalls(history, "loss", (conv ? "conv" : "dense") + " VAE");
            assertColourImages(vae.sample(8), 8);
            assertColourImages(vae.reconstruct(discs.take(4)), 8);
            assertColourImages(vae.interpolate(discs.take(2), 5), 5);
        }
    }

    @Test
    void dcganLearnsTheDataColoursAndSamplesInColour() {
        Gen.seed(2);
        Gan gan = Gen.gan().build();
        gan.fit(discs, Fit.steps(1).batchSize(32).quiet());
        double before = colourDistance(gan.sample(64));
        gan.fit(discs, Fit.steps(150).batchSize(32).quiet());
        double after = colourDistance(gan.sample(64));
        assertTrue(after < before, "mean colour per channel moved toward the data's: " + before + " -> " + after);
        assertColourImages(gan.sample(8), 8);
        assertColourImages(gan.interpolate(1, 4), 4);
        ModelBase dashboardView = gan;
        assertColourImages((Samples) dashboardView.probeSamples(), 16); // the grid the live dashboard draws while training
    }

    @Test
    void flowOnColourImagesLowersItsBitsPerDimension() {
        Gen.seed(3);
        Flow flow = Gen.flow().build();
        History history = flow.fit(discs, Fit.epochs(6).batchSize(32).quiet());
        assertFalls(history, "loss", "flow");
        assertTrue(Double.isFinite(flow.bitsPerDim(discs.take(16))));
        assertColourImages(flow.sample(8), 8);
    }

    @Test
    void diffusionUNetSamplesAndTrajectoriesAreInColour() {
        Gen.seed(4);
        Diffusion dm = Gen.diffusion().channels(16).build();
        History history = dm.fit(discs, Fit.epochs(6).batchSize(32).quiet());
        assertFalls(history, "loss", "diffusion");
        assertColourImages(dm.sample(4), 4);
        assertEquals(new Shape(2).addAll(EXAMPLE), dm.trajectory(2, 3).frame(2).shape());
    }

    @Test
    void theDataSetsOwnPreviewIsAColourGrid() throws IOException {
        assertTrue(colouredPixels((byte[]) discs.render().data().get(Rendered.PNG)) > 100, "the preview of red, green and blue discs shows colour");
    }

    /** Shape (n, 3, 12, 16), finite values, and a grid PNG with pixels whose channels differ. */
    private static void assertColourImages(Samples samples, int n) {
        assertEquals(new Shape(n).addAll(EXAMPLE), samples.shape());
        for (float v : samples.values()) {
            assertTrue(Float.isFinite(v), "finite values in " + samples);
        }
        try {
            assertTrue(colouredPixels(samples.png()) > 0, "a colour grid, not a gray one: " + samples);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static int colouredPixels(byte[] png) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        int coloured = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (Math.max(Math.abs(r - g), Math.max(Math.abs(g - b), Math.abs(r - b))) > 40) {
                    coloured++;
                }
            }
        }
        return coloured;
    }

    /** How far the per-channel mean of the samples lies from the data's (Euclidean, over R, G, B). */
    private static double colourDistance(Samples samples) {
        double[] data = channelMeans(discs.toFloatArray());
        double[] drawn = channelMeans(samples.values());
        double sum = 0;
        for (int c = 0; c < 3; c++) {
            sum += (data[c] - drawn[c]) * (data[c] - drawn[c]);
        }
        return Math.sqrt(sum);
    }

    private static double[] channelMeans(float[] values) {
        int plane = 12 * 16;
        double[] means = new double[3];
        for (int i = 0; i < values.length; i++) {
            means[(i / plane) % 3] += values[i];
        }
        for (int c = 0; c < 3; c++) {
            means[c] /= values.length / 3.0;
        }
        return means;
    }

    private static void assertFalls(History history, String metric, String what) {
        double[] epochs = history.epochMetric(metric);
        assertTrue(epochs[epochs.length - 1] < epochs[0], what + ": epoch means of " + metric + " " + Arrays.toString(epochs));
        for (double v : history.metric(metric)) {
            assertTrue(Double.isFinite(v), what + ": every step's " + metric + " is finite");
        }
    }
}
