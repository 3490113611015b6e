package dev.jgen.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;

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
 * The on-disk layout shared by every family: {@code model.properties} (family and configuration) and
 * one DJL parameter file per network. A save is written beside the target and swapped in whole.
 */
public final class Checkpoint {
    public static final String CONFIG_FILE = "model.properties";

    private Checkpoint() {}

    public static void write(Path dir, String family, Properties config, Map<String, Block> networks) {
        Path target = dir.toAbsolutePath();
        Path staging = target.resolveSibling(target.getFileName() + ".saving");
        Path previous = target.resolveSibling(target.getFileName() + ".previous");
        try {
            deleteTree(staging);
            Files.createDirectories(staging);
            Properties all = new Properties();
            all.putAll(config);
            all.setProperty("family", family);
            all.setProperty("format", "1");
            try (OutputStream out = Files.newOutputStream(staging.resolve(CONFIG_FILE))) {
                all.store(out, "jgen model checkpoint");
            }
            for (Map.Entry<String, Block> e : networks.entrySet()) {
                try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                        Files.newOutputStream(staging.resolve(e.getKey()))))) {
                    e.getValue().saveParameters(out);
                }
            }
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

    public static void readWeights(Path dir, NDManager manager, Map<String, Block> networks) {
        for (Map.Entry<String, Block> e : networks.entrySet()) {
            Path file = dir.resolve(e.getKey());
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
                e.getValue().loadParameters(manager, in);
            } catch (IOException | MalformedModelException | RuntimeException ex) {
                throw new CheckpointException(file + " is missing or corrupt (" + ex.getMessage() + ").");
            }
        }
    }

    public static String joinInts(int[] values) {
        return Arrays.stream(values).mapToObj(String::valueOf).collect(Collectors.joining(","));
    }

    public static String joinLongs(long[] values) {
        return Arrays.stream(values).mapToObj(String::valueOf).collect(Collectors.joining(","));
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
