package dev.jgen.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.jgen.train.History;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The on-disk layout shared by every family: {@code model.properties} (family, configuration, data
 * shape, optimizer step count), one DJL parameter file per network, the optimizer's moments and the
 * training history. A save is written beside the target and swapped in whole, so a crash leaves the
 * previous checkpoint readable.
 */
public final class Checkpoint {
    public static final String CONFIG_FILE = "model.properties";
    static final String OPTIMIZER_FILE = "optimizer.ndlist";
    static final String STEPS_FILE = "history-steps.csv";
    static final String EPOCHS_FILE = "history-epochs.csv";
    private static final String FORMAT = "2";

    private Checkpoint() {}

    /** Everything a model needs to continue exactly where it stopped. */
    record Contents(Properties config, Map<String, Block> networks, NDList optimizerState, History history) {}

    static void write(Path dir, String family, Contents contents) {
        Path target = dir.toAbsolutePath();
        Path staging = sibling(target, ".saving");
        Path previous = sibling(target, ".previous");
        try {
            deleteTree(staging);
            Files.createDirectories(staging);
            Properties all = new Properties();
            all.putAll(contents.config());
            all.setProperty("family", family);
            all.setProperty("format", FORMAT);
            try (OutputStream out = Files.newOutputStream(staging.resolve(CONFIG_FILE))) {
                all.store(out, "jgen model checkpoint");
            }
            for (Map.Entry<String, Block> e : contents.networks().entrySet()) {
                try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                        Files.newOutputStream(staging.resolve(e.getKey() + ".params"))))) {
                    e.getValue().saveParameters(out);
                }
            }
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(staging.resolve(OPTIMIZER_FILE)))) {
                contents.optimizerState().encode(out);
            }
            contents.history().write(staging.resolve(STEPS_FILE), staging.resolve(EPOCHS_FILE));
            deleteTree(previous);
            if (Files.exists(target)) {
                Files.move(target, previous, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(previous);
        } catch (IOException e) {
            throw new UncheckedIOException("could not save the model to " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * The folder to read: {@code dir} itself, or the previous checkpoint a save left beside it when it
     * was cut off between its two renames.
     */
    public static Path readable(Path dir) {
        Path previous = sibling(dir.toAbsolutePath(), ".previous");
        return !Files.isRegularFile(dir.resolve(CONFIG_FILE)) && Files.isRegularFile(previous.resolve(CONFIG_FILE)) ? previous : dir;
    }

    /** Reads the family and configuration; a folder that is not a checkpoint is named in the error. */
    public static Properties readConfig(Path dir) {
        Path file = dir.resolve(CONFIG_FILE);
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(dir + " is not a jgen checkpoint: " + file.getFileName()
                    + " is missing. Save one with model.save(path).");
        }
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            props.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new CheckpointException(file + " is unreadable: " + e.getMessage());
        }
        if (props.getProperty("family") == null) {
            throw new CheckpointException(file + " names no model family; it was not written by jgen.");
        }
        return props;
    }

    static void readWeights(Path dir, NDManager manager, Map<String, Block> networks) {
        for (Map.Entry<String, Block> e : networks.entrySet()) {
            Path file = dir.resolve(e.getKey() + ".params");
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
                e.getValue().loadParameters(manager, in);
            } catch (IOException | MalformedModelException | RuntimeException ex) {
                throw new CheckpointException(file + " is missing or corrupt (" + ex.getMessage() + ").");
            }
        }
    }

    static NDList readOptimizer(Path dir, NDManager manager) {
        Path file = dir.resolve(OPTIMIZER_FILE);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return NDList.decode(manager, in);
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(file + " is missing or corrupt (" + e.getMessage() + ").");
        }
    }

    static void readHistory(Path dir, History history) {
        try {
            history.read(dir.resolve(STEPS_FILE), dir.resolve(EPOCHS_FILE));
        } catch (RuntimeException e) {
            throw new CheckpointException(dir.resolve(STEPS_FILE) + " or " + EPOCHS_FILE + " is missing or corrupt ("
                    + e.getMessage() + ").");
        }
    }

    public static String join(int[] values) {
        return Arrays.stream(values).mapToObj(String::valueOf).collect(Collectors.joining(","));
    }

    public static String join(long[] values) {
        return Arrays.stream(values).mapToObj(String::valueOf).collect(Collectors.joining(","));
    }

    /** Written with full float precision, so a loaded model computes exactly what the saved one did. */
    public static String join(float[] values) {
        StringBuilder out = new StringBuilder();
        for (float v : values) {
            out.append(out.length() == 0 ? "" : ",").append(Float.toString(v));
        }
        return out.toString();
    }

    public static float[] floats(Path dir, Properties props, String key) {
        String value = props.getProperty(key);
        try {
            String[] parts = value.split(",");
            float[] out = new float[parts.length];
            for (int i = 0; i < parts.length; i++) {
                out[i] = Float.parseFloat(parts[i].trim());
            }
            return out;
        } catch (RuntimeException e) {
            throw new CheckpointException(dir.resolve(CONFIG_FILE) + " has a missing or malformed '" + key + "': " + value);
        }
    }

    public static int intProperty(Path dir, Properties props, String key) {
        return (int) longs(dir, props, key)[0];
    }

    public static int[] ints(Path dir, Properties props, String key) {
        return Arrays.stream(longs(dir, props, key)).mapToInt(v -> (int) v).toArray();
    }

    public static long[] longs(Path dir, Properties props, String key) {
        String value = props.getProperty(key);
        try {
            return Arrays.stream(value.split(",")).map(String::trim).mapToLong(Long::parseLong).toArray();
        } catch (RuntimeException e) {
            throw new CheckpointException(dir.resolve(CONFIG_FILE) + " has a missing or malformed '" + key + "': " + value);
        }
    }

    private static Path sibling(Path target, String suffix) {
        return target.resolveSibling(target.getFileName() + suffix);
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
