package dev.jgen.model.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import dev.jgen.data.Dataset;
import dev.jgen.model.Checkpoint;
import dev.jgen.model.Ema;
import dev.jgen.model.CheckpointException;
import dev.jgen.model.Interpolation;
import dev.jgen.model.ModelBase;
import dev.jgen.model.Samples;
import dev.jgen.nn.Backend;
import dev.jgen.nn.Layers;
import dev.jgen.nn.Ops;
import dev.jgen.nn.SpectralNorm;
import dev.jgen.train.Adam;
import dev.jgen.train.Fit;
import dev.jgen.train.History;
import dev.jgen.train.TrainingLoop;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Generative adversarial network. A discriminator D learns to tell data from the generator's output
 * G(z); G learns to fool it. Each step updates D on real and generated batches, then G through D, with
 * each network's gradients kept apart. Non-saturating loss (softplus) by default, hinge on request.
 * Samples come from an exponential moving average of G's weights, which is smoother than G itself.
 */
public final class Gan extends ModelBase {
    static final String FAMILY = "gan";
    /**
     * Measured on Fashion-MNIST (2 cores, 900 steps of 64, about 85 s): at DCGAN's classic 2e-4 this small
     * DCGAN gives striped blobs, at 1e-3 rough garments, at 2e-3 recognisable shirts, trousers, dresses,
     * shoes and bags. A spectrally normalised discriminator collapses at 1e-3, so it keeps SN-GAN's 2e-4.
     * The small MLPs for points do best at 1e-3.
     */
    private static final double DCGAN_LEARNING_RATE = 2e-3;
    private static final double SPECTRAL_NORM_LEARNING_RATE = 2e-4;
    private static final double POINT_LEARNING_RATE = 1e-3;
    private static final int IMAGE_LATENT = 64;
    private static final double EMA_DECAY = 0.999;

    private int latent;
    private final int hidden;
    private final boolean hinge;
    private final boolean conditional;
    private final boolean spectralNorm;
    private final boolean custom;
    private final boolean ema;
    private Block generator;
    private Block discriminator;
    private Block emaGenerator;
    private int classes;

    Gan(GanBuilder b) {
        super(FAMILY, "GAN", new Adam(0.5, 0.999));
        this.latent = b.latent;
        this.hidden = b.hidden;
        this.hinge = b.hinge;
        this.conditional = b.conditional;
        this.spectralNorm = b.spectralNorm;
        this.generator = b.generator;
        this.discriminator = b.discriminator;
        this.custom = b.generator != null || b.discriminator != null;
        // A moving average needs a second copy of the generator, which only jgen's own can make.
        this.ema = b.ema && b.generator == null;
    }

    // ---------------------------------------------------------------- networks

    @Override
    protected void build() {
        if (images && (exampleShape[1] % 4 != 0 || exampleShape[2] % 4 != 0)) {
            throw new IllegalArgumentException("the DCGAN doubles 1/4-size feature maps twice, so height and width must be "
                    + "multiples of 4; got " + exampleShape[1] + "x" + exampleShape[2] + ". Pass your own generator(...).");
        }
        if (latent == 0) {
            latent = images ? IMAGE_LATENT : features();
        }
        int extra = conditional ? classes : 0;
        if (generator == null) {
            generator = newGenerator();
        }
        if (discriminator == null) {
            discriminator = images ? dcganDiscriminator() : mlpDiscriminator();
        }
        generator.initialize(manager, DataType.FLOAT32, new Shape(1, latent + extra));
        long[] dInput = shapeOf(1).getShape();
        dInput[1] += extra;
        discriminator.initialize(manager, DataType.FLOAT32, images ? new Shape(dInput) : new Shape(1, features() + extra));
        if (ema) {
            emaGenerator = newGenerator();
            emaGenerator.initialize(manager, DataType.FLOAT32, new Shape(1, latent + extra));
            emaGenerator.freezeParameters(true);
            Ema.update(generator, emaGenerator, 0, manager);
        }
    }

    private Block newGenerator() {
        return images ? dcganGenerator() : Layers.mlp(new int[] {hidden, hidden}, features());
    }

    /**
     * Dense to 64 maps of 1/4 size, then twice (upsample, 3x3 convolution); pixels through a sigmoid.
     * Narrower than the paper's DCGAN so that a few CPU minutes go a long way.
     */
    private SequentialBlock dcganGenerator() {
        long h = exampleShape[1] / 4;
        long w = exampleShape[2] / 4;
        return new SequentialBlock()
                .add(Linear.builder().setUnits(64 * h * w).build()).add(BatchNorm.builder().build()).add(Activation.reluBlock())
                .add(Layers.unflatten(64, h, w))
                .add(Layers.upsample2x()).add(Layers.conv(32, 3, 1, 1)).add(BatchNorm.builder().build()).add(Activation.reluBlock())
                .add(Layers.upsample2x()).add(Layers.conv((int) exampleShape[0], 3, 1, 1))
                .add(Activation.sigmoidBlock());
    }

    /** Two stride-2 4x4 convolutions with LeakyReLU, then one logit; each layer spectrally normalised on request. */
    private SequentialBlock dcganDiscriminator() {
        return new SequentialBlock()
                .add(spectralNorm ? SpectralNorm.conv(32, 4, 2, 1) : Layers.conv(32, 4, 2, 1)).add(Layers.leakyRelu())
                .add(spectralNorm ? SpectralNorm.conv(64, 4, 2, 1) : Layers.conv(64, 4, 2, 1)).add(Layers.leakyRelu())
                .add(Blocks.batchFlattenBlock())
                .add(dense(1));
    }

    private SequentialBlock mlpDiscriminator() {
        return new SequentialBlock().add(Blocks.batchFlattenBlock())
                .add(dense(hidden)).add(Layers.leakyRelu())
                .add(dense(hidden)).add(Layers.leakyRelu())
                .add(dense(1));
    }

    private Block dense(int units) {
        return spectralNorm ? SpectralNorm.linear(units) : Linear.builder().setUnits(units).build();
    }

    @Override
    protected Map<String, Block> networks() {
        Map<String, Block> networks = new LinkedHashMap<>();
        networks.put("generator", generator);
        networks.put("discriminator", discriminator);
        if (ema) {
            networks.put("ema-generator", emaGenerator);
        }
        return networks;
    }

    /** G(z), with one-hot labels appended to the noise for a conditional GAN. */
    private NDArray generate(Block g, NDArray z, NDArray oneHot, boolean training) {
        NDArray input = oneHot == null ? z : z.concat(oneHot, 1);
        NDArray out = g.forward(parameters, new NDList(input), training).singletonOrThrow();
        return out.reshape(shapeOf(z.getShape().get(0)));
    }

    /** D(x) as one logit per example; a conditional D also sees the label (as extra channels for images). */
    private NDArray discriminate(NDArray x, NDArray oneHot, boolean training) {
        NDArray input = x;
        if (oneHot != null) {
            long b = x.getShape().get(0);
            input = images
                    ? x.concat(oneHot.reshape(b, classes, 1, 1).broadcast(new Shape(b, classes, exampleShape[1], exampleShape[2])), 1)
                    : x.reshape(b, -1).concat(oneHot, 1);
        }
        return discriminator.forward(parameters, new NDList(input), training).singletonOrThrow().reshape(-1);
    }

    // ---------------------------------------------------------------- training

    @Override
    public History fit(Dataset data, Fit fit) {
        if (conditional && !data.hasLabels()) {
            throw new IllegalArgumentException("a conditional GAN learns from labels, and " + data.name() + " has none");
        }
        if (manager == null && conditional) {
            classes = Arrays.stream(data.labels()).max().orElse(0) + 1;
        }
        requireCompatible(data);
        double lr = fit.learningRateOr(spectralNorm ? SPECTRAL_NORM_LEARNING_RATE : images ? DCGAN_LEARNING_RATE : POINT_LEARNING_RATE);
        TrainingLoop.Step step = (m, x, labels) -> {
            NDArray real = x.toDevice(device(), false);
            long b = real.getShape().get(0);
            NDArray oneHot = conditional ? labels.oneHot(classes).toType(DataType.FLOAT32, false) : null;
            Map<String, Double> metrics = new LinkedHashMap<>();
            try (GradientCollector collector = Backend.engine().newGradientCollector()) {
                NDArray fake = generate(generator, m.randomNormal(new Shape(b, latent)), oneHot, true).stopGradient();
                NDArray realLogits = discriminate(real, oneHot, true);
                NDArray fakeLogits = discriminate(fake, oneHot, true);
                NDArray loss = discriminatorLoss(realLogits, fakeLogits, m);
                metrics.put("d_loss", (double) loss.getFloat());
                metrics.put("D(real)", (double) realLogits.getNDArrayInternal().sigmoid().mean().getFloat());
                metrics.put("D(fake)", (double) fakeLogits.getNDArrayInternal().sigmoid().mean().getFloat());
                if (!Double.isFinite(metrics.get("d_loss"))) {
                    return metrics;
                }
                collector.backward(loss);
            }
            adam.update("discriminator", discriminator.getParameters(), lr);
            try (GradientCollector collector = Backend.engine().newGradientCollector()) {
                NDArray logits = discriminate(generate(generator, m.randomNormal(new Shape(b, latent)), oneHot, true), oneHot, true);
                NDArray loss = hinge ? logits.mean().neg() : Ops.softplus(logits.neg()).mean();
                metrics.put("g_loss", (double) loss.getFloat());
                if (!Double.isFinite(metrics.get("g_loss"))) {
                    return metrics;
                }
                collector.backward(loss);
            }
            // The generator's backward pass went through D and left gradients on its weights: drop them.
            zeroGradients(discriminator);
            adam.update("generator", generator.getParameters(), lr);
            if (ema) {
                Ema.update(generator, emaGenerator, Ema.decay(adam.updates("generator"), EMA_DECAY), manager);
            }
            // Every family reports a "loss"; a GAN's is both players' objectives together.
            metrics.put("loss", metrics.get("d_loss") + metrics.get("g_loss"));
            return metrics;
        };
        try {
            return trainingLoop("d_loss", "D(real)", "D(fake)", "g_loss", "loss").withLabels().probe(this::probeSamples).run(data, fit, step);
        } finally {
            Backend.inferenceMode();
        }
    }

    private NDArray discriminatorLoss(NDArray realLogits, NDArray fakeLogits, NDManager m) {
        if (hinge) {
            NDArray one = Ops.scalar(m, 1);
            NDArray zero = Ops.scalar(m, 0);
            return one.sub(realLogits).maximum(zero).mean().add(one.add(fakeLogits).maximum(zero).mean());
        }
        return Ops.softplus(realLogits.neg()).mean().add(Ops.softplus(fakeLogits).mean());
    }

    private void zeroGradients(Block block) {
        try (NDManager scratch = manager.newSubManager()) {
            NDArray zero = Ops.scalar(scratch, 0);
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray w = p.getValue().getArray();
                if (w.hasGradient()) {
                    try (NDArray grad = w.getGradient()) {
                        grad.muli(zero);
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- sampling

    private Block sampler() {
        return ema ? emaGenerator : generator;
    }

    @Override
    public Samples sample(int n) {
        requirePositive("sample(n): n", n);
        return generateFrom(randomLatents(n), everyClass(n), Samples.squareColumns(n), "GAN samples");
    }

    /** Labels cycling through the classes for a conditional GAN; all 0 (ignored) otherwise. */
    private int[] everyClass(int n) {
        return conditional ? cyclingLabels(n, classes) : new int[n];
    }

    /** {@code n} samples of one class (conditional GANs). */
    public Samples sample(int n, int label) {
        requireConditional("sample(n, label)");
        requirePositive("sample(n, label): n", n);
        requireLabel(label);
        int[] labels = new int[n];
        Arrays.fill(labels, label);
        return generateFrom(randomLatents(n), labels, Samples.squareColumns(n), "GAN samples of class " + label);
    }

    /** One row per class, {@code perClass} samples each (conditional GANs). */
    public Samples perClass(int perClass) {
        requireConditional("perClass");
        requirePositive("perClass(k): k", perClass);
        int[] labels = labelRows(classes, perClass);
        return generateFrom(randomLatents(labels.length), labels, perClass, "GAN samples, one row per class");
    }

    private float[] randomLatents(int n) {
        requireTrained("sample");
        Backend.inferenceMode();
        try (NDManager m = manager.newSubManager()) {
            return m.randomNormal(new Shape(n, latent)).toFloatArray();
        }
    }

    private Samples generateFrom(float[] z, int[] labels, int columns, String title) {
        requireTrained("sample");
        Backend.inferenceMode();
        int n = labels.length;
        try (NDManager m = manager.newSubManager()) {
            NDArray oneHot = conditional ? m.create(labels).oneHot(classes).toType(DataType.FLOAT32, false) : null;
            NDArray x = generate(sampler(), m.create(z, new Shape(n, latent)), oneHot, false);
            return new Samples(title, x.toFloatArray(), samplesShape(n), columns);
        }
    }

    private Samples probeSamples() {
        int n = images ? 16 : 500;
        return generateFrom(probeLatents(n, latent), everyClass(n), Samples.squareColumns(n), "GAN probe");
    }

    /**
     * Walks between consecutive pairs of {@code endpoints} (examples 0-1, 2-3, ...). A GAN has no encoder, so
     * each endpoint is first placed in the latent space by search: the latent whose generated example is
     * nearest to it ({@link LatentSearch}). A conditional GAN walks in each pair's first label.
     */
    @Override
    public Interpolation interpolate(Dataset endpoints, int steps) {
        requireTrained(endpoints, "interpolate");
        int pairs = Interpolation.pairsIn(endpoints);
        Interpolation.requireSteps(steps);
        Dataset ends = endpoints.take(2 * pairs);
        int[] labels = conditional && ends.hasLabels() ? ends.labels() : everyClass(2 * pairs);
        for (int label : labels) {
            requireLabel(label);
        }
        float[] latents;
        try (NDManager m = manager.newSubManager()) {
            NDArray targets = ends.toNDArray(m).toDevice(device(), false);
            latents = LatentSearch.nearestLatents(m, targets, labels, latent, (z, rowLabels) -> generate(sampler(), z,
                    conditional ? z.getManager().create(rowLabels).oneHot(classes).toType(DataType.FLOAT32, false) : null, false));
        } finally {
            // The search's backward passes left gradients on the generator's weights; training must not see them.
            zeroGradients(sampler());
        }
        int[] pairLabels = new int[pairs];
        for (int p = 0; p < pairs; p++) {
            pairLabels[p] = labels[2 * p];
        }
        return interpolate(latents, pairLabels, steps, Interpolation.Kind.LINEAR);
    }

    /** {@code pairs} rows, each a walk of {@code steps} between two random latent vectors. */
    public Interpolation interpolate(int pairs, int steps) {
        requirePositive("interpolate: pairs", pairs);
        int[] pairLabels = new int[pairs];
        for (int p = 0; p < pairs; p++) {
            pairLabels[p] = conditional ? p % classes : 0;
        }
        return interpolate(randomLatents(2 * pairs), pairLabels, steps, Interpolation.Kind.LINEAR);
    }

    private Interpolation interpolate(float[] ends, int[] pairLabels, int steps, Interpolation.Kind kind) {
        int pairs = pairLabels.length;
        float[] path = Interpolation.paths(ends, latent, steps, kind);
        int[] labels = new int[pairs * steps];
        for (int p = 0; p < pairs; p++) {
            Arrays.fill(labels, p * steps, (p + 1) * steps, pairLabels[p]);
        }
        Samples s = generateFrom(path, labels, steps, "GAN latent interpolation");
        return new Interpolation("GAN latent interpolation", s.values(), s.shape(), steps, kind,
                other -> interpolate(ends, pairLabels, steps, other));
    }

    private void requireLabel(int label) {
        if (conditional && (label < 0 || label >= classes)) {
            throw new IllegalArgumentException("label " + label + " is outside 0.." + (classes - 1) + ", the classes this GAN learned");
        }
    }

    private void requireConditional(String what) {
        requireTrained(what);
        if (!conditional) {
            throw new IllegalStateException(what + " needs a conditional GAN: build it with Gen.gan().conditional()");
        }
    }

    // ---------------------------------------------------------------- persistence and display

    @Override
    protected Properties config() {
        if (custom) {
            throw new IllegalStateException("this GAN uses your own generator or discriminator, which jgen cannot rebuild "
                    + "from a folder; save the blocks' parameters with block.saveParameters(...) instead");
        }
        Properties props = new Properties();
        props.setProperty("latent", String.valueOf(latent));
        props.setProperty("hidden", String.valueOf(hidden));
        props.setProperty("hinge", String.valueOf(hinge));
        props.setProperty("ema", String.valueOf(ema));
        props.setProperty("conditional", String.valueOf(conditional));
        props.setProperty("spectralNorm", String.valueOf(spectralNorm));
        props.setProperty("classes", String.valueOf(classes));
        return props;
    }

    /** Rebuilds a GAN written by {@code save}. */
    public static Gan load(Path dir, Properties props) {
        GanBuilder b = new GanBuilder().latent(Checkpoint.intProperty(dir, props, "latent"))
                .hidden(Checkpoint.intProperty(dir, props, "hidden")).ema(Boolean.parseBoolean(props.getProperty("ema")));
        if (Boolean.parseBoolean(props.getProperty("hinge"))) {
            b.hinge();
        }
        if (Boolean.parseBoolean(props.getProperty("conditional"))) {
            b.conditional();
        }
        if (Boolean.parseBoolean(props.getProperty("spectralNorm"))) {
            b.spectralNorm();
        }
        Gan gan = b.build();
        gan.classes = Checkpoint.intProperty(dir, props, "classes");
        try {
            gan.restore(dir, props);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(dir + " holds a GAN that cannot be rebuilt: " + e.getMessage());
        }
        return gan;
    }

    @Override
    public String toString() {
        String kind = images ? "DCGAN" : manager == null ? "DCGAN for images, MLP for points" : "MLP";
        return String.format("GAN (%s%s, latent %s, %s loss%s%s), %s, device %s", custom ? "your networks" : kind,
                (conditional ? ", conditional" : "") + (spectralNorm ? ", spectral norm" : ""), latent == 0 ? "chosen from the data" : String.valueOf(latent), hinge ? "hinge" : "non-saturating", ema ? ", EMA sampling" : "",
                classes > 0 ? ", " + classes + " classes" : "", state(), device());
    }
}
