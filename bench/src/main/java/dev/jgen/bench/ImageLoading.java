package dev.jgen.bench;

import dev.jgen.data.Dataset;
import dev.jgen.data.Datasets;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code Datasets.images} on a folder of 10,000 PNG files (64x64 patches of the photographs the install
 * script puts in /usr/local/share/jgen/photos, one class folder per photo), loaded at 32x32: seconds for
 * the first call (decoding) and the second (unchanged folder), and the heap the data set keeps.
 */
final class ImageLoading {
    static final int FILES = 10_000;
    private static final Path PHOTOS = Path.of("/usr/local/share/jgen/photos");
    private static final int PATCH = 64;
    private static final int STRIDE = 6;

    /** What one load measured. */
    record Measured(int images, double firstSeconds, double secondSeconds, double keptMiB, double valuesMiB) {}

    private ImageLoading() {}

    static Measured measure() {
        Path folder;
        try {
            folder = Files.createTempDirectory("jgen-bench-images");
            writePatches(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            long heapBefore = usedHeapAfterGc();
            long start = System.nanoTime();
            Dataset images = Datasets.images(folder, 32, 32);
            double first = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            Datasets.images(folder, 32, 32);
            double second = (System.nanoTime() - start) / 1e9;
            double kept = (usedHeapAfterGc() - heapBefore) / 1048576.0;
            double values = images.size() * (double) images.features() * Float.BYTES / 1048576.0;
            return new Measured(images.size(), first, second, kept, values);
        } finally {
            delete(folder);
        }
    }

    private static void writePatches(Path folder) throws IOException {
        int written = 0;
        List<String> names = List.of("astronaut", "chelsea", "coffee");
        for (int p = 0; written < FILES && p < names.size(); p++) {
            BufferedImage photo = ImageIO.read(PHOTOS.resolve(names.get(p) + ".png").toFile());
            Path classFolder = Files.createDirectories(folder.resolve(names.get(p)));
            for (int y = 0; y + PATCH <= photo.getHeight() && written < FILES; y += STRIDE) {
                for (int x = 0; x + PATCH <= photo.getWidth() && written < FILES; x += STRIDE) {
                    ImageIO.write(photo.getSubimage(x, y, PATCH, PATCH), "png", classFolder.resolve(y + "-" + x + ".png").toFile());
                    written++;
                }
            }
        }
        if (written < FILES) {
            throw new IllegalStateException("the photos gave only " + written + " patches of " + PATCH + " at stride " + STRIDE);
        }
    }

    /** The heap in use once collections stop freeing anything (a single System.gc() can leave some garbage behind). */
    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int round = 0; round < 10; round++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long now = runtime.totalMemory() - runtime.freeMemory();
            if (used - now < 1 << 20) {
                return Math.min(used, now);
            }
            used = now;
        }
        return used;
    }

    private static void delete(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
