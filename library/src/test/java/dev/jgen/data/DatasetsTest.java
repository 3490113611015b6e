package dev.jgen.data;

import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetsTest {
    @TempDir
    Path dir;

    @Test
    void fashionMnistHasTheDocumentedShapeRangeAndLabels() {
        Dataset train = Datasets.fashionMnist();
        Dataset test = Datasets.fashionMnistTest();
        assertEquals(60_000, train.size());
        assertEquals(10_000, test.size());
        assertEquals("(60000, 1, 28, 28)", train.shape().toString());
        float[] values = train.take(100).toFloatArray();
        assertTrue(Arrays.stream(box(values)).allMatch(v -> v >= 0 && v <= 1));
        assertTrue(Arrays.stream(box(values)).anyMatch(v -> v > 0.99));
        int[] labels = train.labels();
        assertEquals(0, Arrays.stream(labels).min().getAsInt());
        assertEquals(9, Arrays.stream(labels).max().getAsInt());
        assertEquals(10, train.classNames().size());
    }

    @Test
    void viewsShareDataAndBehave() {
        Dataset train = Datasets.fashionMnist().take(1000);
        assertEquals(1000, train.size());
        Dataset[] split = train.split(0.8);
        assertEquals(800, split[0].size());
        assertEquals(200, split[1].size());
        Dataset sandals = train.ofClass(5);
        assertTrue(sandals.size() > 0);
        assertTrue(Arrays.stream(sandals.labels()).allMatch(l -> l == 5));
        Dataset a = train.shuffle(7);
        Dataset b = train.shuffle(7);
        assertArrayEquals(a.labels(), b.labels());
        assertNotEquals(Arrays.toString(train.labels()), Arrays.toString(a.labels()));
        int[] sortedA = a.labels().clone();
        int[] sortedTrain = train.labels().clone();
        Arrays.sort(sortedA);
        Arrays.sort(sortedTrain);
        assertArrayEquals(sortedTrain, sortedA);
    }

    @Test
    void toySetsAreSeededAndTwoDimensional() {
        for (Dataset toy : new Dataset[] {Datasets.moons(500), Datasets.rings(500), Datasets.gaussians(500, 8), Datasets.spiral(500)}) {
            assertEquals("(500, 2)", toy.shape().toString(), toy.name());
            assertTrue(toy.hasLabels());
        }
        assertArrayEquals(Datasets.moons(300).toFloatArray(), Datasets.moons(300).toFloatArray());
        assertEquals(8, Arrays.stream(Datasets.gaussians(2000, 8).labels()).distinct().count());
    }

    @Test
    void missingFashionMnistNamesTheInstallCommand() {
        DataException e = assertThrows(DataException.class, () -> Datasets.fashionMnist(dir.resolve("nowhere")));
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
        assertTrue(e.getMessage().contains("JGEN_DATA"), e.getMessage());
    }

    @Test
    void truncatedIdxNamesTheFileAndTheFault() throws IOException {
        Path images = dir.resolve("images-idx3-ubyte.gz");
        writeGzip(images, header(0x00000803, 10, 28, 28), new byte[100]);
        DataException e = assertThrows(DataException.class, () -> Datasets.idx(images, null));
        assertTrue(e.getMessage().contains(images.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void wrongMagicNumberIsReported() throws IOException {
        Path images = dir.resolve("labels-not-images.gz");
        writeGzip(images, header(0x00000801, 10), new byte[10]);
        DataException e = assertThrows(DataException.class, () -> Datasets.idx(images, null));
        assertTrue(e.getMessage().contains("not an IDX file of rank 3"), e.getMessage());
    }

    @Test
    void corruptGzipIsReported() throws IOException {
        Path images = dir.resolve("broken.gz");
        Files.write(images, new byte[] {0x1f, (byte) 0x8b, 1, 2, 3, 4, 5});
        DataException e = assertThrows(DataException.class, () -> Datasets.idx(images, null));
        assertTrue(e.getMessage().contains(images.toString()), e.getMessage());
    }

    @Test
    void labelCountMismatchNamesBothFiles() throws IOException {
        Path images = dir.resolve("i.gz");
        Path labels = dir.resolve("l.gz");
        writeGzip(images, header(0x00000803, 2, 2, 2), new byte[8]);
        writeGzip(labels, header(0x00000801, 3), new byte[3]);
        DataException e = assertThrows(DataException.class, () -> Datasets.idx(images, labels));
        assertTrue(e.getMessage().contains("3 labels") && e.getMessage().contains("2 images"), e.getMessage());
    }

    @Test
    void smallValidIdxPairLoads() throws IOException {
        Path images = dir.resolve("ok-images");
        Path labels = dir.resolve("ok-labels.gz");
        Files.write(images, concat(header(0x00000803, 2, 2, 2), new byte[] {0, (byte) 255, 0, 0, 1, 2, 3, 4}));
        writeGzip(labels, header(0x00000801, 2), new byte[] {3, 7});
        assertFalse(Datasets.idx(images, null).hasLabels());
        Dataset d = Datasets.idx(images, labels);
        assertTrue(d.hasLabels(), "the labelled pair is its own data set, not the unlabelled copy loaded first");
        assertEquals("(2, 1, 2, 2)", d.shape().toString());
        assertEquals(1f, d.example(0)[1]);
        assertArrayEquals(new int[] {3, 7}, d.labels());
    }

    @Test
    void ownArraysAreCopiedSoLaterChangesCannotSlipPastTheFiniteCheck() {
        float[] values = {0f, 1f, 2f, 3f, 4f, 5f};
        Dataset data = Dataset.of("readings", values, new Shape(2), new int[] {0, 1, 0});
        data.requireFinite();
        values[3] = Float.NaN;
        assertEquals(3f, data.example(1)[1]);
        data.requireFinite();

        Dataset broken = Dataset.of("readings", values, new Shape(2), null);
        Dataset firstRow = broken.take(1);
        firstRow.requireFinite();
        assertThrows(DataException.class, broken::requireFinite, "a checked view must not vouch for the rows it leaves out");
    }

    private static byte[] header(int magic, int... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length).putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.array();
    }

    private static void writeGzip(Path file, byte[] head, byte[] body) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(head);
            out.write(body);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static Float[] box(float[] values) {
        Float[] out = new Float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
