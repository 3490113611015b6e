package dev.jgen.data;

import dev.jgen.plot.Pixels;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * A folder of images as a data set of RGB examples (3, height, width) in [0, 1]. Each image is cropped
 * at its centre to the wanted aspect ratio, then shrunk by repeated bilinear halving followed by one
 * bicubic step to the exact size (halving first keeps fine detail from aliasing, as one big bicubic
 * step would); smaller images are enlarged bicubically. Transparent pixels are laid on white.
 */
final class ImageFolder {
    private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "gif", "bmp");
    private static final int NAMED_FAILURES = 3;
    /** Decoded folders by what they held when decoded: a changed, added or removed file decodes again. */
    private static final Map<Key, Dataset> DECODED = new ConcurrentHashMap<>();

    /** {@code files}: each image file's size and modification time. */
    private record Key(Path folder, int height, int width, Map<Path, String> files) {}

    private record Found(List<Path> images, List<String> classes, int[] labels, int outsideClasses, Map<Path, String> stamps) {}

    private ImageFolder() {}

    static Dataset read(Path folder, int height, int width) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("images(" + folder + ", " + height + ", " + width + "): height and width must be positive");
        }
        Path root = folder.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new DataException("There is no folder " + root + (Files.exists(root) ? " (it is a file)" : "")
                    + ". Datasets.images reads a folder of images; relative paths start at " + Path.of("").toAbsolutePath() + ".");
        }
        Found found = find(root);
        if (found.images().isEmpty()) {
            throw new DataException(root + " holds no PNG, JPEG, GIF or BMP images, in it or in its sub-folders.");
        }
        Key key = new Key(root, height, width, found.stamps());
        DECODED.keySet().removeIf(k -> k.folder().equals(root) && k.height() == height && k.width() == width && !k.equals(key));
        return DECODED.computeIfAbsent(key, k -> decode(root, found, height, width));
    }

    /** Images under root, sorted; a sub-folder of root holding images is a class, and images beside such folders are left out. */
    private static Found find(Path root) {
        // One pass over the folder: sizes and times come with the listing, so asking again for an unchanged folder is cheap.
        Map<Path, String> stamps = new TreeMap<>();
        try {
            Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile() && isImageFile(file)) {
                        stamps.put(file, attributes.size() + "\t" + attributes.lastModifiedTime().toMillis());
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // an unreadable entry is no image; the others still count
                }
            });
        } catch (IOException e) {
            throw new DataException("Could not list " + root + ": " + e.getMessage());
        }
        List<Path> all = List.copyOf(stamps.keySet());
        TreeSet<String> classSet = new TreeSet<>();
        for (Path p : all) {
            if (p.getParent().equals(root)) {
                continue;
            }
            classSet.add(root.relativize(p).getName(0).toString());
        }
        if (classSet.isEmpty()) {
            return new Found(all, List.of(), null, 0, stamps);
        }
        List<String> classes = List.copyOf(classSet);
        List<Path> inClasses = all.stream().filter(p -> !p.getParent().equals(root)).toList();
        int[] labels = inClasses.stream().mapToInt(p -> classes.indexOf(root.relativize(p).getName(0).toString())).toArray();
        return new Found(inClasses, classes, labels, all.size() - inClasses.size(), stamps);
    }

    private static boolean isImageFile(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return !name.startsWith(".") && dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static Dataset decode(Path root, Found found, int height, int width) {
        List<Path> images = found.images();
        int n = images.size();
        int features = 3 * height * width;
        float[] values = new float[n * features];
        boolean[] failed = new boolean[n];
        // Decoding dominates and every image is independent: one image per task, on all cores.
        IntStream.range(0, n).parallel().forEach(i -> {
            BufferedImage image = readImage(images.get(i));
            if (image == null) {
                failed[i] = true;
            } else {
                Pixels.toPlanes(fitTo(image, height, width), values, i * features);
            }
        });
        int kept = 0;
        List<String> failures = new ArrayList<>();
        int[] labels = found.labels() == null ? null : new int[n];
        for (int i = 0; i < n; i++) {
            if (failed[i]) {
                failures.add(root.relativize(images.get(i)).toString());
                continue;
            }
            if (kept != i) {
                System.arraycopy(values, i * features, values, kept * features, features);
            }
            if (labels != null) {
                labels[kept] = found.labels()[i];
            }
            kept++;
        }
        if (kept == 0) {
            throw new DataException("None of the " + n + " image files under " + root + " could be read (" + named(failures)
                    + "); they may be corrupt, or in a format flavour no installed decoder knows.");
        }
        warn(root, n, failures, found.outsideClasses());
        float[] exact = kept == n ? values : Arrays.copyOf(values, kept * features);
        int[] exactLabels = labels == null ? null : Arrays.copyOf(labels, kept);
        return new Dataset(root.getFileName().toString(), exact, exactLabels, new long[] {3, height, width},
                found.classes().isEmpty() ? null : found.classes());
    }

    private static void warn(Path root, int n, List<String> failures, int outsideClasses) {
        if (!failures.isEmpty()) {
            System.err.println("warning: skipped " + failures.size() + " of " + n + " image files under " + root
                    + " that could not be read (" + named(failures) + ")");
        }
        if (outsideClasses > 0) {
            System.err.println("warning: left out " + outsideClasses + " images that lie directly in " + root
                    + ": its sub-folders are the classes, so every image belongs in one of them");
        }
    }

    private static String named(List<String> files) {
        String first = String.join(", ", files.subList(0, Math.min(NAMED_FAILURES, files.size())));
        return files.size() > NAMED_FAILURES ? first + ", ..." : first;
    }

    /** The decoded image, or null when it cannot be read. */
    private static BufferedImage readImage(Path file) {
        try {
            return ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The centre crop of {@code image} with the target's aspect ratio, resized to height x width, as RGB on white. */
    private static BufferedImage fitTo(BufferedImage image, int height, int width) {
        int w = image.getWidth();
        int h = image.getHeight();
        int cropW = w;
        int cropH = h;
        if ((long) w * height > (long) h * width) {
            cropW = Math.max(1, (int) Math.round((double) h * width / height));
        } else {
            cropH = Math.max(1, (int) Math.round((double) w * height / width));
        }
        BufferedImage current = new BufferedImage(cropW, cropH, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = current.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, cropW, cropH);
        g.drawImage(image, -(w - cropW) / 2, -(h - cropH) / 2, null);
        g.dispose();
        while (current.getWidth() >= 2 * width && current.getHeight() >= 2 * height) {
            current = Pixels.resized(current, current.getWidth() / 2, current.getHeight() / 2, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        }
        if (current.getWidth() != width || current.getHeight() != height) {
            current = Pixels.resized(current, width, height, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        }
        return current;
    }

}
