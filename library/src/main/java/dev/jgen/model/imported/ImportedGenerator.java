package dev.jgen.model.imported;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.jgen.data.Dataset;
import dev.jgen.model.Checkpoint;
import dev.jgen.model.CheckpointException;
import dev.jgen.model.GenerativeModel;
import dev.jgen.model.Interpolation;
import dev.jgen.nn.Backend;
import dev.jgen.plot.Samples;
import dev.jgen.train.Fit;
import dev.jgen.train.History;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static dev.jgen.model.Require.positive;

/**
 * A generator trained elsewhere and imported as TorchScript: it samples, interpolates (linear and slerp),
 * renders and saves like jgen's own models; training stays in PyTorch.
 */
public final class ImportedGenerator implements GenerativeModel {
    public static final String FAMILY = "torchscript-generator";
    private static final String MODULE_FILE = "generator.pt";

    private final TorchScript module;
    private final int latent;
    private final Shape exampleShape;
    private final History history = new History("imported generator");

    ImportedGenerator(TorchScript module, int latent) {
        positive("generator(latentSize)", latent);
        this.module = module;
        this.latent = latent;
        try (NDManager m = Backend.newManager()) {
            NDArray probe = module.forward(m.randomNormal(new Shape(1, latent)));
            this.exampleShape = probe.getShape().slice(1);
        } catch (RuntimeException e) {
            throw new ImportException(module.file() + " does not take latents of size " + latent + " (a batch of shape (1, " + latent
                    + ")): " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    public int latentSize() {
        return latent;
    }

    /** What one example looks like: (C, H, W) for images, (D) for points. */
    public Shape exampleShape() {
        return exampleShape;
    }

    private boolean images() {
        return exampleShape.dimension() == 3;
    }

    @Override
    public Samples sample(int n) {
        positive("sample(n): n", n);
        try (NDManager m = Backend.newManager()) {
            return samples("Imported generator samples", m.randomNormal(new Shape(n, latent)).toFloatArray(), n, Samples.squareColumns(n));
        }
    }

    /** The generator's output for latents z (N, latentSize), in z's manager. */
    public NDArray decode(NDArray z) {
        if (z.getShape().dimension() != 2 || z.getShape().get(1) != latent) {
            throw new IllegalArgumentException("the generator takes latents of shape (N, " + latent + "), got " + z.getShape());
        }
        return module.forward(z);
    }

    /** {@code pairs} rows, each a walk of {@code steps} between two random latents; {@code .slerp()} walks on the sphere. */
    public Interpolation interpolate(int pairs, int steps) {
        positive("interpolate: pairs", pairs);
        Interpolation.requireSteps(steps);
        try (NDManager m = Backend.newManager()) {
            return interpolate(m.randomNormal(new Shape(2L * pairs, latent)).toFloatArray(), pairs, steps, Interpolation.Kind.LINEAR);
        }
    }

    private Interpolation interpolate(float[] ends, int pairs, int steps, Interpolation.Kind kind) {
        Samples s = samples("Imported generator interpolation", Interpolation.paths(ends, latent, steps, kind), pairs * steps, steps);
        return new Interpolation("Imported generator interpolation", s.values(), s.shape(), steps, kind,
                other -> interpolate(ends, pairs, steps, other));
    }

    private Samples samples(String title, float[] z, int n, int columns) {
        try (NDManager m = Backend.newManager()) {
            float[] values = decode(m.create(z, new Shape(n, latent))).toFloatArray();
            Shape shape = images() ? new Shape(n, exampleShape.get(0), exampleShape.get(1), exampleShape.get(2)) : new Shape(n, exampleShape.size());
            return new Samples(title, values, shape, columns);
        }
    }

    /** An imported generator was trained in PyTorch; jgen samples it but does not train it. */
    @Override
    public History fit(Dataset data, Fit fit) {
        throw new UnsupportedOperationException("this generator was imported from " + module.file().getFileName()
                + " and is trained in PyTorch; jgen samples, interpolates and saves it. To train in jgen, build one with Gen.gan() or Gen.vae().");
    }

    /** Empty: the training happened in PyTorch. */
    @Override
    public History history() {
        return history;
    }

    /** Copies the TorchScript file into {@code dir} beside a model.json; {@code Gen.load(dir)} brings it back. */
    @Override
    public void save(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.copy(module.file(), dir.resolve(MODULE_FILE), StandardCopyOption.REPLACE_EXISTING);
            JsonObject description = new JsonObject();
            description.addProperty("family", FAMILY);
            JsonArray shape = new JsonArray();
            for (long dim : exampleShape.getShape()) {
                shape.add(dim);
            }
            description.add("exampleShape", shape);
            description.addProperty("latent", latent);
            Files.writeString(dir.resolve(Checkpoint.CONFIG_FILE), description.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("could not save the generator to " + dir.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /** Brings back a generator written by {@link #save}. */
    public static ImportedGenerator load(Path dir) {
        Path description = dir.resolve(Checkpoint.CONFIG_FILE);
        try {
            JsonObject json = JsonParser.parseString(Files.readString(description)).getAsJsonObject();
            return TorchScript.load(dir.resolve(MODULE_FILE)).generator(json.get("latent").getAsInt());
        } catch (IOException | IllegalStateException | NullPointerException e) {
            throw new CheckpointException(description + " does not describe an imported generator (" + e.getMessage() + ")");
        }
    }

    @Override
    public Device device() {
        return Backend.device();
    }

    @Override
    public String toString() {
        return "Imported generator (" + module.file().getFileName() + ", latent " + latent + " -> " + exampleShape + ")";
    }
}
