package dev.jgen.model.imported;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.jgen.model.diffusion.Diffusion;
import dev.jgen.model.diffusion.NoiseSchedule;
import dev.jgen.nn.Backend;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A network saved from PyTorch with {@code torch.jit.script(net).save("net.pt")} (or {@code torch.jit.trace}),
 * run by the same libtorch jgen trains with: {@code Gen.torchScript(path).generator(64)} wraps a generator
 * or decoder, {@code .denoiser(schedule, shape)} a diffusion model's noise predictor.
 */
public final class TorchScript {
    private static final Pattern MAX_VERSION = Pattern.compile("maximum supported version for reading is (\\d+)");

    private final Path file;
    private final Model model;

    private TorchScript(Path file, Model model) {
        this.file = file;
        this.model = model;
    }

    /** Loads {@code file}; a file libtorch cannot read is explained in one sentence. */
    public static TorchScript load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ImportException(file.toAbsolutePath() + " does not exist: save a TorchScript file in PyTorch with "
                    + "torch.jit.script(model).save(\"" + file.getFileName() + "\")");
        }
        String name = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        Model model = Model.newInstance(name, Backend.device(), Backend.engine().getEngineName());
        try {
            model.load(file.toAbsolutePath());
        } catch (Exception e) {
            model.close();
            throw new ImportException(whyUnreadable(file, e), e);
        }
        return new TorchScript(file, model);
    }

    /** A generator (or VAE decoder) mapping latents (N, latentSize) to examples: images in [0, 1] or points. */
    public ImportedGenerator generator(int latentSize) {
        return new ImportedGenerator(this, latentSize);
    }

    /**
     * A noise predictor eps(x_t, t) for examples of {@code exampleShape}, called with x_t (N, example shape) and
     * t (N) holding each example's timestep as a float, trained under {@code schedule}. Images live in [-1, 1]
     * for the network (the diffusers convention) and in [0, 1] for you; points as they are. jgen's samplers,
     * trajectories and editing all work on it.
     */
    public Diffusion denoiser(NoiseSchedule schedule, Shape exampleShape) {
        return Diffusion.around(model.getBlock(), schedule, exampleShape);
    }

    public Path file() {
        return file;
    }

    /** The module's output for {@code inputs}, in the first input's manager. */
    NDArray forward(NDArray... inputs) {
        Backend.inferenceMode();
        Block block = model.getBlock();
        NDList out = block.forward(new ParameterStore(inputs[0].getManager(), false), new NDList(inputs), false);
        NDArray result = out.get(0);
        result.attach(inputs[0].getManager());
        return result;
    }

    /** One sentence: which TorchScript format the file has, and which libtorch jgen runs. */
    private static String whyUnreadable(Path file, Exception e) {
        String libtorch = "jgen runs libtorch " + Backend.engine().getVersion();
        Matcher max = MAX_VERSION.matcher(String.valueOf(e.getMessage()));
        String formatVersion = formatVersion(file);
        if (formatVersion == null) {
            return file + " is not a TorchScript file (no version entry in a zip archive); save the model with "
                    + "torch.jit.script(model).save(path), not torch.save. " + libtorch + ".";
        }
        if (max.find()) {
            return file + " was written by a PyTorch newer than jgen's: its TorchScript file format is version " + formatVersion
                    + ", and " + libtorch + ", which reads versions up to " + max.group(1) + ". Save it again with PyTorch 2.7 or older.";
        }
        return file + " (TorchScript file format version " + formatVersion + ") could not be loaded by libtorch "
                + Backend.engine().getVersion() + ": " + firstLine(e.getMessage());
    }

    private static String formatVersion(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry version = zip.stream().filter(z -> z.getName().matches("[^/]+/version")).findFirst().orElse(null);
            return version == null ? null : new String(zip.getInputStream(version).readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return null;
        }
    }

    private static String firstLine(String message) {
        return message == null ? "no reason given" : message.lines().findFirst().orElse(message);
    }

    @Override
    public String toString() {
        return "TorchScript module " + file;
    }
}
