package dev.jgen.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/** Where data sets come from: Fashion-MNIST from the Debian package, any IDX pair, and seeded 2-D toys. */
public final class Datasets {
    /** Folder of Debian's {@code dataset-fashion-mnist}; {@code JGEN_DATA} points elsewhere. */
    public static final Path DEFAULT_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");
    public static final String INSTALL_HINT = "sudo apt-get install dataset-fashion-mnist";

    private static final List<String> FASHION_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    private static final long TOY_SEED = 0;
    /** Loaded sets by (images, labels) path: the same images with and without labels are two data sets. */
    private static final Map<List<Path>, Dataset> LOADED = new ConcurrentHashMap<>();

    private Datasets() {}

    /** The 60,000 training images, 1x28x28 floats in [0, 1], labels 0..9. */
    public static Dataset fashionMnist() {
        return fashion(fashionMnistFolder(), "train", "train");
    }

    /** The training images from another folder holding the four IDX files. */
    public static Dataset fashionMnist(Path folder) {
        return fashion(folder, "train", "train");
    }

    /** The 10,000 test images. */
    public static Dataset fashionMnistTest() {
        return fashion(fashionMnistFolder(), "t10k", "test");
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

    private static Path fashionMnistFolder() {
        String override = System.getenv("JGEN_DATA");
        return override == null || override.isBlank() ? DEFAULT_FASHION_MNIST : Path.of(override);
    }

    private static Path existing(Path dir, String baseName) {
        for (String candidate : new String[] {baseName + ".gz", baseName}) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new DataException(String.format(
                "Fashion-MNIST is not installed: %s.gz was not found. Install it with `%s`, "
                        + "or set JGEN_DATA to a folder that holds the four IDX files.",
                dir.resolve(baseName), INSTALL_HINT));
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
