package dev.jgen.model.imported;

import dev.jgen.data.DataPackages;
import dev.jgen.data.Dataset;
import dev.jgen.data.Datasets;
import dev.jgen.eval.Psnr;
import dev.jgen.plot.Pixels;
import dev.jgen.plot.Samples;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ESRGAN-slim from the npm package (installed by install/test), rebuilt by jgen's Keras loader: it must
 * reproduce the package's own published 2x result and beat bicubic upscaling on real photographs.
 */
class PretrainedTest {
    private static final Path PHOTOS = Path.of("/usr/local/share/jgen/photos");
    private static Upscaler twice;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        twice = Pretrained.superResolution(2);
    }

    @AfterAll
    static void close() {
        twice.close();
    }

    @Test
    void reproducesThePackagesPublishedTwofoldResult() throws IOException {
        BufferedImage fixture = ImageIO.read(DataPackages.ESRGAN_SLIM.resolve("assets/fixture.png").toFile());
        BufferedImage published = ImageIO.read(DataPackages.ESRGAN_SLIM.resolve("assets/samples/2x/result.png").toFile());
        BufferedImage ours = twice.enhance(fixture);
        BufferedImage fromTheFile = twice.enhance(DataPackages.ESRGAN_SLIM.resolve("assets/fixture.png"));
        assertEquals(Psnr.between(ours, published), Psnr.between(fromTheFile, published), 1e-9, "a file gives what its picture gives");
        double psnr = Psnr.between(ours, published);
        System.out.printf("ESRGAN-slim 2x vs the package's result: PSNR %.1f dB%n", psnr);
        assertTrue(psnr >= 60, "PSNR against the package's own 2x result: " + psnr + " dB");
    }

    /**
     * Measured on astronaut, chelsea and coffee halved by 2 x 2 averaging: ESRGAN-slim 29.9, 33.7 and 28.8 dB,
     * Java's bicubic 30.4, 34.1 and 29.3 dB (the same order with Gaussian or bicubic shrinking, and at 3x and 4x).
     * The slim network is a small one (two dense blocks of four channels) and does not beat bicubic in PSNR here;
     * it must stay within a decibel of it and above pixel repetition (28.0, 32.6 and 28.1 dB).
     */
    @Test
    void restoresPhotographsHalvedInSizeAboutAsWellAsBicubic() throws IOException {
        for (String name : new String[] {"astronaut.png", "chelsea.png", "coffee.png"}) {
            BufferedImage original = evenSized(ImageIO.read(PHOTOS.resolve(name).toFile()));
            BufferedImage small = halved(original);
            double network = Psnr.between(twice.enhance(small), original);
            double bicubic = Psnr.between(Pixels.resized(small, original.getWidth(), original.getHeight(), RenderingHints.VALUE_INTERPOLATION_BICUBIC), original);
            double repeated = Psnr.between(Pixels.resized(small, original.getWidth(), original.getHeight(), RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR), original);
            System.out.printf("%s halved and restored: ESRGAN-slim %.2f dB, bicubic %.2f dB, pixel repetition %.2f dB%n", name, network, bicubic, repeated);
            assertTrue(network > bicubic - 1, name + ": ESRGAN-slim " + network + " dB, bicubic " + bicubic + " dB");
            assertTrue(network > repeated + 0.5, name + ": ESRGAN-slim " + network + " dB, pixel repetition " + repeated + " dB");
        }
    }

    @Test
    void enhancesGreyDataSetsAndGeneratedSamplesInTheirOwnLayout() {
        Dataset four = Datasets.fashionMnistTest().take(4);
        Samples big = twice.enhance(four);
        assertEquals("(4, 1, 56, 56)", big.shape().toString());
        Samples again = twice.enhance(big);
        assertEquals("(4, 1, 112, 112)", again.shape().toString());
    }

    @Test
    void aMissingPackageNamesTheInstallCommand() {
        ImportException e = assertThrows(ImportException.class, () -> Pretrained.superResolution(2, dir));
        assertTrue(e.getMessage().contains(DataPackages.ESRGAN_INSTALL_HINT), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Pretrained.superResolution(5));
        IllegalArgumentException noImage = assertThrows(IllegalArgumentException.class, () -> twice.enhance(dir.resolve("holiday.png")));
        assertTrue(noImage.getMessage().contains("holiday.png"), noImage.getMessage());
    }

    @Test
    void aLayerTheLoaderCannotBuildIsNamed() throws IOException {
        Path model = dir.resolve("model.json");
        Files.writeString(model, "{\"modelTopology\": {\"model_config\": {\"class_name\": \"Functional\", \"config\": {"
                + "\"layers\": [{\"class_name\": \"InputLayer\", \"name\": \"in\", \"config\": {\"batch_input_shape\": [null, null, null, 3]},"
                + " \"inbound_nodes\": []}, {\"class_name\": \"LSTM\", \"name\": \"memory\", \"config\": {}, \"inbound_nodes\": [[[\"in\", 0, 0, {}]]]}],"
                + " \"input_layers\": [[\"in\", 0, 0]], \"output_layers\": [[\"memory\", 0, 0]]}}}, \"weightsManifest\": []}");
        ImportException e = assertThrows(ImportException.class, () -> KerasModel.load(model));
        assertTrue(e.getMessage().contains("memory is a LSTM"), e.getMessage());
    }

    private static BufferedImage evenSized(BufferedImage image) {
        return image.getSubimage(0, 0, image.getWidth() / 2 * 2, image.getHeight() / 2 * 2);
    }

    /** Each 2 x 2 block averaged into one pixel: the camera's own way of seeing less detail, free of aliasing. */
    private static BufferedImage halved(BufferedImage image) {
        BufferedImage out = new BufferedImage(image.getWidth() / 2, image.getHeight() / 2, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                int rgb = 0;
                for (int shift = 0; shift <= 16; shift += 8) {
                    int sum = 0;
                    for (int d = 0; d < 4; d++) {
                        sum += (image.getRGB(2 * x + d % 2, 2 * y + d / 2) >> shift) & 0xff;
                    }
                    rgb |= ((sum + 2) / 4) << shift;
                }
                out.setRGB(x, y, rgb);
            }
        }
        return out;
    }
}
