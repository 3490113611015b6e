package dev.jgen;

import ai.djl.Device;
import dev.jgen.model.Checkpoint;
import dev.jgen.model.CheckpointException;
import dev.jgen.model.GenerativeModel;
import dev.jgen.model.diffusion.Diffusion;
import dev.jgen.model.diffusion.DiffusionBuilder;
import dev.jgen.model.flow.Flow;
import dev.jgen.model.gan.Gan;
import dev.jgen.model.gan.GanBuilder;
import dev.jgen.model.imported.ImportedGenerator;
import dev.jgen.model.imported.TorchScript;
import dev.jgen.model.tabular.TableBuilder;
import dev.jgen.model.tabular.TableModel;
import dev.jgen.model.text.TextBuilder;
import dev.jgen.model.text.TextModel;
import dev.jgen.model.flow.FlowBuilder;
import dev.jgen.model.vae.Vae;
import dev.jgen.model.vae.VaeBuilder;
import dev.jgen.nn.Backend;

import java.nio.file.Path;

/** The front door of the DSL: builders for every model family, loading, seeding and the device. */
public final class Gen {
    /** This release of jgen. */
    public static final String VERSION = "0.1.0";

    private Gen() {}

    /** A variational autoencoder: {@code Gen.vae().latent(16).hidden(512, 256).build()}. */
    public static VaeBuilder vae() {
        return new VaeBuilder();
    }

    /** A generative adversarial network: {@code Gen.gan().latent(64).build()} (DCGAN for images, MLPs for points). */
    public static GanBuilder gan() {
        return new GanBuilder();
    }

    /** A RealNVP normalizing flow: {@code Gen.flow().couplings(8).hidden(128).build()}. */
    public static FlowBuilder flow() {
        return new FlowBuilder();
    }

    /** A denoising diffusion model: {@code Gen.diffusion().timesteps(1000).build()} (U-Net for images, MLP for points). */
    public static DiffusionBuilder diffusion() {
        return new DiffusionBuilder();
    }

    /**
     * A character-level text model: {@code Gen.text().context(64).layers(4).heads(4).width(128).build()}, a
     * decoder-only Transformer; {@code Gen.text().bigram().build()}, the bigram baseline.
     */
    public static TextBuilder text() {
        return new TextBuilder();
    }

    /**
     * A generative model of a table's rows: {@code Gen.tabular().build()}, a TVAE; {@code .gan()}, a CTGAN;
     * {@code .copula()}, the Gaussian-copula baseline. {@code tm.fit(table, Fit.epochs(100)); tm.sample(1000)}.
     */
    public static TableBuilder tabular() {
        return new TableBuilder();
    }

    /**
     * A network saved from PyTorch as TorchScript ({@code torch.jit.script(net).save(path)}):
     * {@code Gen.torchScript(path).generator(64)} or {@code .denoiser(NoiseSchedule.cosine(1000), new Shape(2))}.
     */
    public static TorchScript torchScript(Path file) {
        return TorchScript.load(file);
    }

    /**
     * Seeds libtorch (initial weights, sampling noise) and the shuffling of training batches, so a notebook
     * run again from the top gives the same numbers. The 2-D toy data sets need no seed: each is the same on
     * every call unless you pass one ({@code Datasets.moons(n, noise, seed)}).
     */
    public static void seed(long seed) {
        Backend.seed(seed);
    }

    /** The device new models train on: a GPU when the engine has one, else the CPU. */
    public static Device device() {
        return Backend.device();
    }

    /**
     * Brings back a model of the family you name: {@code Vae vae = Gen.load(dir, Vae.class)}. Fails with one
     * sentence, saying which family the folder holds, when it holds another.
     */
    public static <M extends GenerativeModel> M load(Path dir, Class<M> family) {
        GenerativeModel model = load(dir);
        if (!family.isInstance(model)) {
            throw new CheckpointException(dir + " holds a " + model.getClass().getSimpleName() + ", not a " + family.getSimpleName()
                    + ": load it with Gen.load(dir, " + model.getClass().getSimpleName() + ".class), or Gen.load(dir) for any family.");
        }
        return family.cast(model);
    }

    /** Brings back a model written by {@code model.save(dir)}, of whatever family it was. */
    public static GenerativeModel load(Path dir) {
        String family = Checkpoint.read(Checkpoint.readable(dir)).family();
        switch (family) {
            case "vae":
                return Vae.load(dir);
            case "flow":
                return Flow.load(dir);
            case "gan":
                return Gan.load(dir);
            case "diffusion":
                return Diffusion.load(dir);
            case TextModel.FAMILY:
                return TextModel.load(dir);
            case TableModel.FAMILY:
                return TableModel.load(dir);
            case ImportedGenerator.FAMILY:
                return ImportedGenerator.load(dir);
            default:
                throw new CheckpointException(dir.resolve(Checkpoint.CONFIG_FILE) + " is of family '" + family
                        + "', which this version of jgen cannot load.");
        }
    }
}
