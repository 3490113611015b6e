package dev.jgen.model.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.jgen.data.Dataset;
import dev.jgen.eval.Pca;
import dev.jgen.model.Checkpoint;
import dev.jgen.model.Ema;
import dev.jgen.model.Interpolation;
import dev.jgen.model.LatentExplorer;
import dev.jgen.model.LatentModel;
import dev.jgen.model.ModelBase;
import dev.jgen.nn.Backend;
import dev.jgen.nn.Layers;
import dev.jgen.nn.Ops;
import dev.jgen.plot.Samples;
import dev.jgen.train.Adam;
import dev.jgen.train.Terms;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.IntStream;
import java.util.Map;

import static dev.jgen.model.Require.positive;

/**
 * Generative adversarial network. A discriminator D learns to tell data from the generator's output
 * G(z); G learns to fool it. Each step updates D on real and generated batches, then G through D, with
 * each network's gradients kept apart. Non-saturating loss (softplus) by default, hinge on request.
 * Samples come from an exponential moving average of G's weights, which is smoother than G itself.
 */
public final class Gan extends ModelBase implements LatentModel {
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
    /** Generated images the explorer's directions come from. */
    private static final int EXPLORE_SAMPLES = 256;
    private static final double EMA_DECAY = 0.999;

    /** What a conditional GAN learned from its data besides weights. */
    record FromData(int classes) {}

    private final GanConfig config;
    /** The config's, or chosen from the data at the first fit. */
    private int latent;
    private final boolean custom;
    private final boolean ema;
    private Block generator;
    private Block discriminator;
    private Block emaGenerator;

    /** {@code generator} and {@code discriminator}: the user's own networks, or null for jgen's. */
    Gan(GanConfig config, Block generator, Block discriminator) {
        super(FAMILY, "GAN", new Adam(0.5, 0.999));
        this.config = config;
        this.latent = config.latent();
        this.generator = generator;
        this.discriminator = discriminator;
        this.custom = generator != null || discriminator != null;
        // A moving average needs a second copy of the generator, which only jgen's own can make.
        this.ema = config.ema() && generator == null;
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
        int extra = conditional() ? classes : 0;
        if (generator == null) {
            generator = GanNetworks.generator(exampleShape, config.hidden());
        }
        if (discriminator == null) {
            discriminator = GanNetworks.discriminator(exampleShape, config.hidden(), config.spectralNorm());
        }
        generator.initialize(manager, DataType.FLOAT32, new Shape(1, latent + extra));
        long[] dInput = shapeOf(1).getShape();
        dInput[1] += extra;
        discriminator.initialize(manager, DataType.FLOAT32, images ? new Shape(dInput) : new Shape(1, features() + extra));
        if (ema) {
            emaGenerator = GanNetworks.generator(exampleShape, config.hidden());
            emaGenerator.initialize(manager, DataType.FLOAT32, new Shape(1, latent + extra));
            emaGenerator.freezeParameters(true);
            Ema.update(generator, emaGenerator, 0, manager);
        }
    }

    @Override
    public Map<String, Block> networks() {
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

    /**
     * The discriminator's objective on a batch of real examples (and their labels, if conditional):
     * tell them from as many generated ones. "d_loss" (non-saturating or hinge), and the mean
     * probabilities D gives to real and generated examples.
     */
    public Terms discriminatorObjective(NDArray real, NDArray labels) {
        NDManager m = real.getManager();
        NDArray oneHot = codes(labels);
        NDArray fake = generate(generator, m.randomNormal(new Shape(real.getShape().get(0), latent)), oneHot, true).stopGradient();
        NDArray realLogits = discriminate(real, oneHot, true);
        NDArray fakeLogits = discriminate(fake, oneHot, true);
        NDArray loss;
        if (config.hinge()) {
            NDArray one = Ops.scalar(m, 1);
            NDArray zero = Ops.scalar(m, 0);
            loss = one.sub(realLogits).maximum(zero).mean().add(one.add(fakeLogits).maximum(zero).mean());
        } else {
            loss = Ops.softplus(realLogits.neg()).mean().add(Ops.softplus(fakeLogits).mean());
        }
        return Terms.loss("d_loss", loss).and("D(real)", Ops.sigmoid(realLogits).mean()).and("D(fake)", Ops.sigmoid(fakeLogits).mean());
    }

    /**
     * The generator's objective for as many generated examples as {@code real} holds (with its labels, if
     * conditional): make D take them for real ("g_loss"). Its gradients reach D's weights too: update only
     * G's, and clear D's (or freeze D) before D's next step.
     */
    public Terms generatorObjective(NDArray real, NDArray labels) {
        NDArray oneHot = codes(labels);
        NDArray z = real.getManager().randomNormal(new Shape(real.getShape().get(0), latent));
        NDArray logits = discriminate(generate(generator, z, oneHot, true), oneHot, true);
        return Terms.loss("g_loss", config.hinge() ? logits.mean().neg() : Ops.softplus(logits.neg()).mean());
    }

    private NDArray codes(NDArray labels) {
        return conditional() ? oneHot(labels, classes) : null;
    }

    /** D's step, then G's through D, with each network's gradients kept apart; then the generator's average. */
    @Override
    protected Map<String, Double> trainingStep(NDArray real, NDArray labels, double learningRate) {
        Map<String, Double> metrics = new LinkedHashMap<>(
                adam.minimise(() -> discriminatorObjective(real, labels), Map.of("discriminator", discriminator), learningRate));
        if (!Double.isFinite(metrics.get("d_loss"))) {
            return metrics;
        }
        // The generator learns through D, whose weights need no gradients for that.
        metrics.putAll(Layers.withFrozen(discriminator,
                () -> adam.minimise(() -> generatorObjective(real, labels), Map.of("generator", generator), learningRate)));
        if (!Double.isFinite(metrics.get("g_loss"))) {
            return metrics;
        }
        if (ema) {
            Ema.update(generator, emaGenerator, Ema.decay(adam.updates("generator"), EMA_DECAY), manager);
        }
        // Every family reports a "loss"; a GAN's is both players' objectives together.
        metrics.put("loss", metrics.get("d_loss") + metrics.get("g_loss"));
        return metrics;
    }

    @Override
    protected List<String> metrics() {
        return List.of("d_loss", "D(real)", "D(fake)", "g_loss", "loss");
    }

    @Override
    protected double defaultLearningRate() {
        return config.spectralNorm() ? SPECTRAL_NORM_LEARNING_RATE : images ? DCGAN_LEARNING_RATE : POINT_LEARNING_RATE;
    }

    @Override
    protected boolean conditional() {
        return config.conditional();
    }

    // ---------------------------------------------------------------- sampling

    private Block sampler() {
        return ema ? emaGenerator : generator;
    }

    @Override
    public Samples sample(int n) {
        positive("sample(n): n", n);
        return generateFrom(randomLatents(n), everyClass(n), Samples.squareColumns(n), "GAN samples");
    }

    /** Labels cycling through the classes for a conditional GAN; all 0 (ignored) otherwise. */
    private int[] everyClass(int n) {
        return conditional() ? cyclingLabels(n, classes) : new int[n];
    }

    /** {@code n} samples of one class (conditional GANs). */
    public Samples sample(int n, int label) {
        requireConditional("sample(n, label)");
        positive("sample(n, label): n", n);
        requireLabel(label);
        int[] labels = new int[n];
        Arrays.fill(labels, label);
        return generateFrom(randomLatents(n), labels, Samples.squareColumns(n), "GAN samples of class " + label);
    }

    /** One row per class, {@code perClass} samples each (conditional GANs). */
    public Samples perClass(int perClass) {
        requireConditional("perClass");
        positive("perClass(k): k", perClass);
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
            NDArray x = generate(sampler(), m.create(z, new Shape(n, latent)), codes(m.create(labels)), false);
            return new Samples(title, x.toFloatArray(), samplesShape(n), columns);
        }
    }

    @Override
    protected Samples probeSamples() {
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
        int[] labels = conditional() && ends.hasLabels() ? ends.labels() : everyClass(2 * pairs);
        Arrays.stream(labels).forEach(this::requireLabel);
        float[] latents = searchLatents(ends, labels);
        int[] pairLabels = IntStream.range(0, pairs).map(p -> labels[2 * p]).toArray();
        return interpolate(latents, pairLabels, steps, Interpolation.Kind.LINEAR);
    }

    /** The latents whose generated examples (of the given labels) are nearest to {@code examples} ({@link LatentSearch}). */
    private float[] searchLatents(Dataset examples, int[] labels) {
        // The search's backward passes leave gradients on the generator's weights; training takes its own
        // (Adam.minimise), never those.
        try (NDManager m = manager.newSubManager()) {
            return LatentSearch.nearestLatents(m, examples.toNDArray(m).toDevice(device(), false), labels, latent,
                    (z, rowLabels) -> generate(sampler(), z, codes(z.getManager().create(rowLabels)), false));
        }
    }

    /**
     * {@code n} variations of the first example, a design: its latent, found by search, moved by Gaussian noise
     * of standard deviation {@code spread} (0: the nearest image the generator makes), generated. A conditional
     * GAN keeps the example's label.
     */
    public Samples vary(Dataset example, int n, double spread) {
        requireTrained(example, "vary");
        Dataset design = example.take(1);
        int label = conditional() && design.hasLabels() ? design.label(0) : everyClass(1)[0];
        requireLabel(label);
        float[] center = searchLatents(design, new int[] {label});
        return decodeAround("GAN variations (spread " + spread + ")", center, n, spread, z -> {
            int[] labels = new int[(int) z.getShape().get(0)];
            Arrays.fill(labels, label);
            return generate(sampler(), z, codes(z.getManager().create(labels)), false);
        });
    }

    /** {@code pairs} rows, each a walk of {@code steps} between two random latent vectors. */
    public Interpolation interpolate(int pairs, int steps) {
        positive("interpolate: pairs", pairs);
        return interpolate(randomLatents(2 * pairs), everyClass(pairs), steps, Interpolation.Kind.LINEAR);
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

    /**
     * Sliders along the latent directions that change the generated images most (up to 6): the principal
     * components of a few hundred generated images, carried back into the latent space by regression
     * (GANSpace's idea, on the output). The image drawn from the middle of the latent space is redrawn as they
     * move: {@code gan.explore()} in a cell. A conditional GAN explores its first class.
     */
    public LatentExplorer explore() {
        requireTrained("explore");
        int n = EXPLORE_SAMPLES;
        float[] z = randomLatents(n);
        int label = everyClass(1)[0];
        int[] labels = new int[n];
        Arrays.fill(labels, label);
        float[] images = generateFrom(z, labels, n, "GAN explorer").values();
        float[][] scores = Pca.scores(images, images.length / n, Math.min(latent, EXPLORE_SLIDERS));
        float[][] directions = new float[scores.length][latent];
        for (int c = 0; c < scores.length; c++) {
            // Least squares of the scores on standard-normal latents: Z^T s / n, up to a scale the unit length removes.
            double norm = 0;
            for (int j = 0; j < latent; j++) {
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    sum += z[i * latent + j] * scores[c][i];
                }
                directions[c][j] = (float) sum;
                norm += sum * sum;
            }
            for (int j = 0; j < latent; j++) {
                directions[c][j] /= (float) Math.max(Math.sqrt(norm), 1e-12);
            }
        }
        return explorer("GAN latent explorer", new float[latent], directions,
                x -> generate(sampler(), x, codes(x.getManager().create(new int[] {label})), false));
    }

    // ---------------------------------------------------------------- persistence and display

    @Override
    protected GanConfig config() {
        if (custom) {
            throw new IllegalStateException("this GAN uses your own generator or discriminator, which jgen cannot rebuild "
                    + "from a folder; save the blocks' parameters with block.saveParameters(...) instead");
        }
        return new GanConfig(latent, config.hidden(), config.hinge(), ema, conditional(), config.spectralNorm());
    }

    @Override
    protected FromData fromData() {
        return new FromData(classes);
    }

    /** Rebuilds a GAN written by {@code save}, ready to sample or to continue training. */
    public static Gan load(Path dir) {
        Checkpoint.Saved saved = Checkpoint.read(dir, FAMILY);
        Gan gan = new Gan(saved.config(GanConfig.class), null, null);
        gan.classes = saved.fromData(FromData.class).classes();
        gan.restore(saved);
        return gan;
    }

    @Override
    public String toString() {
        String kind = images ? "DCGAN" : manager == null ? "DCGAN for images, MLP for points" : "MLP";
        return String.format("GAN (%s%s, latent %s, %s loss%s%s), %s, device %s", custom ? "your networks" : kind,
                (conditional() ? ", conditional" : "") + (config.spectralNorm() ? ", spectral norm" : ""), latent == 0 ? "chosen from the data" : String.valueOf(latent), config.hinge() ? "hinge" : "non-saturating", ema ? ", EMA sampling" : "",
                classes > 0 ? ", " + classes + " classes" : "", state(), device());
    }
}
