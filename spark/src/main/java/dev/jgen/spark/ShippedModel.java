package dev.jgen.spark;

import dev.jgen.Gen;
import dev.jgen.model.GenerativeModel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A trained model on its way to the executors: its saved folder as zip bytes (broadcast once per job), loaded
 * once per executor JVM and kept there for every task that follows, keyed by the bytes' digest.
 */
final class ShippedModel implements Serializable {
    private static final long serialVersionUID = 1;
    private static final Map<String, GenerativeModel> LOADED = new ConcurrentHashMap<>();

    private final String digest;
    private final byte[] zipped;

    private ShippedModel(String digest, byte[] zipped) {
        this.digest = digest;
        this.zipped = zipped;
    }

    /** Saves {@code model} to a temporary folder and packs it. */
    static ShippedModel of(GenerativeModel model) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("jgen-shipped");
            model.save(dir);
            byte[] zipped = zip(dir);
            return new ShippedModel(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(zipped)), zipped);
        } catch (IOException e) {
            throw new UncheckedIOException("could not pack the model for the executors: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            deleteQuietly(dir);
        }
    }

    /** The model, loaded on this JVM the first time a task asks. */
    GenerativeModel model() {
        return LOADED.computeIfAbsent(digest, d -> {
            Path dir = null;
            try {
                dir = Files.createTempDirectory("jgen-model-" + d.substring(0, 12));
                unzip(zipped, dir);
                return Gen.load(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("could not unpack the model on executor: " + e.getMessage(), e);
            } finally {
                deleteQuietly(dir);
            }
        });
    }

    private static byte[] zip(Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes); Stream<Path> walk = Files.walk(dir)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                zip.putNextEntry(new ZipEntry(dir.relativize(file).toString()));
                Files.copy(file, zip);
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static void unzip(byte[] zipped, Path dir) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(zipped))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                Path file = dir.resolve(entry.getName()).normalize();
                if (!file.startsWith(dir)) {
                    throw new IOException("the packed model names a file outside its folder: " + entry.getName());
                }
                Files.createDirectories(file.getParent());
                Files.copy((InputStream) zip, file);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException ignored) {
            // A temporary folder left behind costs a little disk; the job goes on.
        }
    }
}
