package dev.jgen.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
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
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The on-disk layout shared by every family: {@code model.json} (family, data shape, the family's config
 * record and what it learned from the data besides weights), one DJL parameter file per network, the
 * optimizer's moments and the training history. A save is written beside the target and swapped in
 * whole, so a crash leaves the previous checkpoint readable. Checkpoints of the first format
 * ({@code model.properties}) still load.
 */
public final class Checkpoint {
    public static final String CONFIG_FILE = "model.json";
    /** The first format's description, flat key=value lines; read, never written. */
    static final String PROPERTIES_FILE = "model.properties";
    static final String OPTIMIZER_FILE = "optimizer.ndlist";
    static final String STEPS_FILE = "history-steps.csv";
    static final String EPOCHS_FILE = "history-epochs.csv";
    private static final int FORMAT = 3;
    /** Full float precision, so a loaded model computes exactly what the saved one did. */
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    private Checkpoint() {}

    /**
     * Everything a model needs to continue exactly where it stopped; {@code fromData} is what the model
     * learned from its data besides weights (classes, a scaling), or null.
     */
    record Contents(long[] exampleShape, Record config, Record fromData, Map<String, Block> networks, NDList optimizerState,
                    History history) {}

    /** What {@code model.json} (or a first-format {@code model.properties}) describes: read it with {@link #read}. */
    public static final class Saved {
        private final Path dir;
        private final Path file;
        private final String family;
        private final long[] exampleShape;
        private final JsonObject json;
        private final Properties firstFormat;

        private Saved(Path dir, Path file, String family, long[] exampleShape, JsonObject json, Properties firstFormat) {
            this.dir = dir;
            this.file = file;
            this.family = family;
            this.exampleShape = exampleShape;
            this.json = json;
            this.firstFormat = firstFormat;
        }

        public String family() {
            return family;
        }

        /** The folder the checkpoint was read from. */
        public Path dir() {
            return dir;
        }

        long[] exampleShape() {
            return exampleShape.clone();
        }

        /** The family's config record, validated as the builder validates its settings. */
        public <R extends Record> R config(Class<R> type) {
            return section("config", type);
        }

        /** What the model learned from its data besides weights, as the family's record. */
        public <R extends Record> R fromData(Class<R> type) {
            return section("fromData", type);
        }

        private <R extends Record> R section(String name, Class<R> type) {
            try {
                JsonElement source = firstFormat != null ? FirstFormat.asJson(firstFormat, type) : json.get(name);
                if (source == null) {
                    throw new JsonParseException("it is missing");
                }
                return GSON.fromJson(source, type);
            } catch (RuntimeException e) {
                // Gson wraps what the record's own validation said; that sentence is the one to show.
                Throwable reason = e;
                while (reason.getCause() != null && !(reason instanceof IllegalArgumentException)) {
                    reason = reason.getCause();
                }
                throw new CheckpointException(file + " has a malformed '" + name + "' section: " + reason.getMessage());
            }
        }
    }

    static void write(Path dir, String family, Contents contents) {
        Path target = dir.toAbsolutePath();
        Path staging = sibling(target, ".saving");
        Path previous = sibling(target, ".previous");
        try {
            deleteTree(staging);
            Files.createDirectories(staging);
            JsonObject description = new JsonObject();
            description.addProperty("format", FORMAT);
            description.addProperty("family", family);
            description.add("exampleShape", GSON.toJsonTree(contents.exampleShape()));
            description.add("config", GSON.toJsonTree(contents.config()));
            if (contents.fromData() != null) {
                description.add("fromData", GSON.toJsonTree(contents.fromData()));
            }
            Files.writeString(staging.resolve(CONFIG_FILE), GSON.toJson(description));
            for (Map.Entry<String, Block> e : contents.networks().entrySet()) {
                try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                        Files.newOutputStream(staging.resolve(e.getKey() + ".params"))))) {
                    e.getValue().saveParameters(out);
                }
            }
            // A model fitted in closed form (a Gaussian copula) has no weights, so no optimizer state.
            if (!contents.networks().isEmpty()) {
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(staging.resolve(OPTIMIZER_FILE)))) {
                    contents.optimizerState().encode(out);
                }
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
        return !isCheckpoint(dir) && isCheckpoint(previous) ? previous : dir;
    }

    private static boolean isCheckpoint(Path dir) {
        return Files.isRegularFile(dir.resolve(CONFIG_FILE)) || Files.isRegularFile(dir.resolve(PROPERTIES_FILE));
    }

    /** Reads the description of a checkpoint of {@code family} (a save cut short reads the previous one). */
    public static Saved read(Path dir, String family) {
        Saved saved = read(readable(dir));
        if (!saved.family().equals(family)) {
            throw new CheckpointException(dir + " holds a model of family '" + saved.family() + "', not '" + family
                    + "': load it with Gen.load(dir).");
        }
        return saved;
    }

    /** Reads a checkpoint's description; a folder that is not a checkpoint is named in the error. */
    public static Saved read(Path dir) {
        Path json = dir.resolve(CONFIG_FILE);
        Path properties = dir.resolve(PROPERTIES_FILE);
        if (Files.isRegularFile(json)) {
            try {
                JsonObject description = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
                String family = description.get("family").getAsString();
                long[] shape = GSON.fromJson(description.get("exampleShape"), long[].class);
                return new Saved(dir, json, family, shape, description, null);
            } catch (IOException | RuntimeException e) {
                throw new CheckpointException(json + " is unreadable or names no model family (" + e.getMessage()
                        + "); it was not written by jgen, or was cut short.");
            }
        }
        if (Files.isRegularFile(properties)) {
            Properties props = new Properties();
            try (InputStream in = Files.newInputStream(properties)) {
                props.load(in);
                return new Saved(dir, properties, Objects.requireNonNull(props.getProperty("family"), "no family"), 
                        FirstFormat.longs(props.getProperty("exampleShape")), null, props);
            } catch (IOException | RuntimeException e) {
                throw new CheckpointException(properties + " is unreadable or names no model family (" + e.getMessage()
                        + "); it was not written by jgen.");
            }
        }
        throw new CheckpointException(dir + " is not a jgen checkpoint: " + CONFIG_FILE + " is missing. Save one with model.save(path).");
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
