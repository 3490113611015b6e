package dev.jgen.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.jgen.Internal;
import dev.jgen.data.Dataset;
import dev.jgen.display.Renderable;
import dev.jgen.display.Rendered;
import dev.jgen.eval.ImageFeatures;
import dev.jgen.eval.Mmd;
import dev.jgen.eval.SampleQuality;
import dev.jgen.nn.Backend;
import dev.jgen.nn.Ops;
import dev.jgen.plot.Samples;
import dev.jgen.train.Adam;
import dev.jgen.train.Fit;
import dev.jgen.train.History;
import dev.jgen.train.TrainingLoop;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

import static dev.jgen.model.Require.positive;

/**
 * What every family shares: networks built at the first {@code fit} (when the data's shape is known),
 * the arrays' manager, the history, the optimizer, and a checkpoint that lets training continue
 * exactly where it stopped.
 */
public abstract class ModelBase implements GenerativeModel, Renderable {
    private final String family;
    private final String displayName;
    protected final History history;
    protected final Adam adam;
    protected NDManager manager;
    protected ParameterStore parameters;
    protected long[] exampleShape;
    protected boolean images;
    /** How many classes a conditional model learned (0 otherwise). */
    protected int classes;

    private static final long PROBE_SEED = 20261123;
    private float[] probeLatents;
    private boolean trainedByOwnLoop;
    /** The data of the last fit in this session (a view; the values are shared), or null after a load. */
    private Dataset trainingData;

    protected ModelBase(String family, String displayName, Adam adam) {
        this.family = family;
        this.displayName = displayName;
        this.history = new History(displayName + " training");
        this.adam = adam;
    }

    /** Creates and initialises the networks for {@link #exampleShape} in {@link #manager}. */
    protected abstract void build();

    /**
     * The networks by name: what a checkpoint keeps, and what your own training loop updates
     * (with the family's public objective).
     */
    public abstract Map<String, Block> networks();

    /** The builder's settings as the family's config record, written into a checkpoint. */
    protected abstract Record config();

    /** What the model learned from its data besides weights (classes, a scaling, bounds), for a checkpoint; null if nothing. */
    protected Record fromData() {
        return null;
    }

    /** The names of the metrics each training step reports, "loss" among them. */
    protected abstract List<String> metrics();

    /** The learning rate {@code fit} uses unless {@link Fit#lr} says otherwise. */
    protected abstract double defaultLearningRate();

    /**
     * One optimisation step on a batch already on the model's device: the family's objective(s) and
     * which networks they update; labels are null unless the model is conditional.
     */
    protected abstract Map<String, Double> trainingStep(NDArray examples, NDArray labels, double learningRate);

    /** The same latents decoded throughout training (a text model: lines sampled the same way), so the dashboard shows the model learning. */
    protected abstract Renderable probeSamples();

    /** A conditional model learns from labels (and {@link #classes} is set at its first fit). */
    protected boolean conditional() {
        return false;
    }

    /** What the model learns from the data before its networks are built (a scaling, bounds); once. */
    protected void beforeBuild(Dataset data) {}

    /**
     * Trains on {@code data} with the live dashboard (loss curves, samples every few seconds); the stop button
     * ends it at the next step and keeps every finished one. Returns the {@link History}, also kept in
     * {@code history()}: {@code vae.fit(Datasets.fashionMnist(), Fit.epochs(3))}.
     */
    @Override
    public final History fit(Dataset data, Fit fit) {
        Dataset examples = prepareFor(data);
        trainingData = data;
        double learningRate = fit.learningRateOr(defaultLearningRate());
        TrainingLoop loop = new TrainingLoop(displayName, history, manager, metrics()).saveWith(this::save).probe(this::probeSamples)
                .evaluateWith(evaluatedMetrics(), this::measureAgainst);
        try {
            return (conditional() ? loop.withLabels() : loop).run(examples, fit,
                    (batchManager, x, labels) -> trainingStep(x.toDevice(device(), false), labels, learningRate));
        } finally {
            Backend.inferenceMode();
        }
    }

    /** What {@link #measureAgainst} reports. */
    protected List<String> evaluatedMetrics() {
        return images ? List.of("fcd", "kid", "precision", "recall") : List.of("mmd");
    }

    /**
     * How this model's samples compare with {@code data}, as {@code Fit...evaluateEvery} records it: FCD, KID,
     * precision and recall in the features of a classifier of the training data (pooled pixels when it has no
     * labels) for images, MMD for points; as many samples as examples.
     */
    protected Map<String, Double> measureAgainst(Dataset data) {
        requireCompatible(trainingExamples(data));
        // The image and point families sample Samples; a text model measures itself its own way.
        float[] generated = ((Samples) sample(data.size())).values();
        if (!images) {
            return Map.of("mmd", Mmd.squared(data.toFloatArray(), generated, features()));
        }
        ImageFeatures space = ImageFeatures.forData(trainingData != null && trainingData.hasLabels() ? trainingData : data);
        Map<String, Double> measured = new LinkedHashMap<>(SampleQuality.between(space.of(data.toFloatArray()), space.of(generated), space.dim()));
        measured.remove("kid_std");
        return measured;
    }

    /**
     * Builds the networks for {@code data}'s example shape (the first {@code fit} does it), so that your
     * own loop can train them with the family's public objective; afterwards insists on the same shape.
     * The model then counts as trained: sampling, saving and the rest are yours to call when you see fit.
     */
    public final void prepare(Dataset data) {
        prepareFor(data);
        trainingData = data;
        trainedByOwnLoop = true;
    }

    /** Builds the networks at first use and returns what the training loop iterates over: {@code data}, or what a family makes of it. */
    private Dataset prepareFor(Dataset data) {
        Dataset examples = trainingExamples(data);
        if (conditional() && !data.hasLabels()) {
            throw new IllegalArgumentException("a conditional " + displayName + " learns from labels, and " + data.name() + " has none");
        }
        if (manager == null) {
            if (conditional()) {
                classes = Arrays.stream(data.labels()).max().orElse(0) + 1;
            }
            beforeBuild(data);
        }
        requireCompatible(examples);
        return examples;
    }

    /**
     * The examples the training loop iterates over for {@code data}: the data itself for the image and point
     * families (which learn no text), token windows for a text model.
     */
    protected Dataset trainingExamples(Dataset data) {
        if (data.isText()) {
            throw new IllegalArgumentException(data.name() + " is text, and a " + displayName + " learns from images or points: "
                    + "train a text model on it, Gen.text().build().");
        }
        return data;
    }

    /** Builds the networks for {@code data} at first use; afterwards insists on the same example shape. */
    protected final void requireCompatible(Dataset data) {
        long[] shape = data.exampleShape().getShape();
        if (manager == null) {
            buildFor(shape);
        } else if (!Arrays.equals(shape, exampleShape)) {
            throw new IllegalArgumentException(String.format(
                    "this %s was built for examples of shape %s, but %s has examples of shape %s.",
                    displayName, new Shape(exampleShape), data.name(), new Shape(shape)));
        }
    }

    /** {@link #requireTrained}, then insists {@code data} has the examples' shape the model was trained on. */
    protected final void requireTrained(Dataset data, String what) {
        requireTrained(what);
        requireCompatible(data);
    }

    private void buildFor(long[] shape) {
        exampleShape = shape.clone();
        images = shape.length == 3;
        manager = Backend.newManager();
        parameters = new ParameterStore(manager, false);
        build();
    }

    /** Fails with one sentence unless a fit has completed at least one step (or a checkpoint was loaded). */
    protected final void requireTrained(String what) {
        if (manager == null || history.steps() == 0 && !trainedByOwnLoop) {
            throw new IllegalStateException("this " + displayName + " has not been trained yet, so " + what
                    + " has nothing to work with. Call fit(data, Fit.epochs(1)) first.");
        }
    }

    /** Fails with one sentence unless the model is trained and conditional. */
    protected final void requireConditional(String what) {
        requireTrained(what);
        if (!conditional()) {
            throw new IllegalStateException(what + " needs a conditional " + displayName + ": build it with Gen." + family + "().conditional()");
        }
    }

    /** Fails with one sentence when a conditional model never saw {@code label}. */
    protected final void requireLabel(int label) {
        if (conditional() && (label < 0 || label >= classes)) {
            throw new IllegalArgumentException("label " + label + " is outside 0.." + (classes - 1) + ", the classes this "
                    + displayName + " learned");
        }
    }

    /** Labels (B) as float one-hot rows (B, width), in their own manager. */
    protected static NDArray oneHot(NDArray labels, int width) {
        return labels.oneHot(width).toType(DataType.FLOAT32, false);
    }

    /** (n, example shape...). */
    protected final Shape shapeOf(long n) {
        long[] dims = new long[exampleShape.length + 1];
        dims[0] = n;
        System.arraycopy(exampleShape, 0, dims, 1, exampleShape.length);
        return new Shape(dims);
    }

    /** How samples are shaped: like the data for images, (n, features) for points. */
    protected final Shape samplesShape(long n) {
        return images ? shapeOf(n) : new Shape(n, new Shape(exampleShape).size());
    }

    /**
     * The same {@code n} standard-normal vectors of length {@code dim} on every call, so the training
     * dashboard shows the model learning rather than new noise.
     */
    protected final float[] probeLatents(int n, int dim) {
        if (probeLatents == null || probeLatents.length != n * dim) {
            Random random = new Random(PROBE_SEED);
            probeLatents = new float[n * dim];
            for (int i = 0; i < probeLatents.length; i++) {
                probeLatents[i] = (float) random.nextGaussian();
            }
        }
        return probeLatents;
    }

    /** n labels cycling through the classes, 0, 1, ..., classes - 1, 0, 1, ...: samples of every class. */
    protected static int[] cyclingLabels(int n, int classes) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
        }
        return labels;
    }

    /** One row of {@code perClass} equal labels per class, 0 0 0 1 1 1 ...: a grid with a row per class. */
    protected static int[] labelRows(int classes, int perClass) {
        int[] labels = new int[classes * perClass];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i / perClass;
        }
        return labels;
    }

    /** {@code n} examples decoded from latents of {@code dim} features: fresh standard-normal draws, or the probe's fixed ones. */
    protected final Samples decodeLatents(String title, int n, int dim, boolean probe, UnaryOperator<NDArray> decode) {
        Backend.inferenceMode();
        try (NDManager m = manager.newSubManager()) {
            NDArray z = probe ? m.create(probeLatents(n, dim), new Shape(n, dim)) : m.randomNormal(new Shape(n, dim));
            return new Samples(title, decode.apply(z).toFloatArray(), samplesShape(n), Samples.squareColumns(n));
        }
    }

    /** Sliders an explorer offers at most: the first few principal directions carry most of the variation. */
    protected static final int EXPLORE_SLIDERS = 6;

    /** An explorer whose sliders move a latent of this model by up to three units along each direction. */
    protected final LatentExplorer explorer(String title, float[] origin, float[][] directions, UnaryOperator<NDArray> decode) {
        double[] unit = new double[directions.length];
        Arrays.fill(unit, 1);
        return explorer(title, origin, directions, unit, decode);
    }

    /** An explorer whose sliders move a latent of this model, decoded one image at a time with {@code decode}. */
    protected final LatentExplorer explorer(String title, float[] origin, float[][] directions, double[] scales,
            UnaryOperator<NDArray> decode) {
        if (!images) {
            throw new IllegalStateException("explore() redraws an image as its sliders move, and this " + displayName
                    + " models points: draw them with sample(n) instead");
        }
        return new LatentExplorer(title, origin, directions, scales, z -> {
            Backend.inferenceMode();
            try (NDManager m = manager.newSubManager()) {
                NDArray x = decode.apply(m.create(z, new Shape(1, z.length)).toDevice(device(), false));
                return new Samples(title, x.toFloatArray(), samplesShape(1), 1);
            }
        });
    }

    /** How many images a latent edit shows per example, from amount 0 to the amount asked for. */
    protected static final int EDIT_STEPS = 5;

    /**
     * {@code n} variations of one design: its latent {@code center} (dim features) moved by Gaussian noise of
     * standard deviation {@code spread} (0: the design itself; 1: as varied as the prior), decoded.
     */
    protected final Samples decodeAround(String title, float[] center, int n, double spread, UnaryOperator<NDArray> decode) {
        positive("vary: n", n);
        if (!(spread >= 0)) {
            throw new IllegalArgumentException("vary: spread is a standard deviation in latent units, >= 0, got " + spread);
        }
        Backend.inferenceMode();
        int dim = center.length;
        try (NDManager m = manager.newSubManager()) {
            NDArray z = m.create(center, new Shape(1, dim)).add(m.randomNormal(new Shape(n, dim)).mul(Ops.scalar(m, spread)));
            return new Samples(title, decode.apply(z.toDevice(device(), false)).toFloatArray(), samplesShape(n), Samples.squareColumns(n));
        }
    }

    /**
     * One row per latent in {@code latents} ((N, dim), flat): each moved along {@code direction} by {@code steps}
     * evenly spaced amounts from 0 to {@code amount}, decoded.
     */
    protected final Samples decodeAlong(String title, float[] latents, LatentDirection direction, double amount, int steps,
            UnaryOperator<NDArray> decode) {
        int dim = direction.size();
        if (latents.length % dim != 0) {
            throw new IllegalArgumentException("the direction has " + dim + " latent features, this model's latent space another number");
        }
        Interpolation.requireSteps(steps);
        int n = latents.length / dim;
        float[] d = direction.vector();
        float[] path = new float[n * steps * dim];
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < steps; s++) {
                double a = amount * s / (steps - 1);
                for (int f = 0; f < dim; f++) {
                    path[(i * steps + s) * dim + f] = (float) (latents[i * dim + f] + a * d[f]);
                }
            }
        }
        Backend.inferenceMode();
        try (NDManager m = manager.newSubManager()) {
            NDArray z = m.create(path, new Shape((long) n * steps, dim)).toDevice(device(), false);
            return new Samples(title, decode.apply(z).toFloatArray(), samplesShape((long) n * steps), steps);
        }
    }

    /**
     * The walk between consecutive pairs of {@code endpoints} (0-1, 2-3, ...) through a latent space of
     * {@code dim} features: encode the ends, interpolate, decode every point on the way.
     */
    protected final Interpolation walkThroughLatents(String title, Dataset endpoints, int steps, Interpolation.Kind kind, int dim,
            UnaryOperator<NDArray> encode, UnaryOperator<NDArray> decode) {
        requireTrained(endpoints, "interpolate");
        int pairs = Interpolation.pairsIn(endpoints);
        Backend.inferenceMode();
        try (NDManager m = manager.newSubManager()) {
            float[] ends = encode.apply(endpoints.batch(m, 0, 2 * pairs, null).toDevice(device(), false)).toFloatArray();
            NDArray path = m.create(Interpolation.paths(ends, dim, steps, kind), new Shape((long) pairs * steps, dim));
            float[] values = decode.apply(path.toDevice(device(), false)).toFloatArray();
            return new Interpolation(title, values, samplesShape((long) pairs * steps), steps, kind,
                    other -> walkThroughLatents(title, endpoints, steps, other, dim, encode, decode));
        }
    }

    /** A copy of {@code array} owned by {@code target}, so intermediates stay out of the caller's manager. */
    protected static NDArray copyInto(NDArray array, NDManager target) {
        return target.create(array.toFloatArray(), array.getShape());
    }

    protected final int features() {
        return (int) new Shape(exampleShape).size();
    }

    /** The data this model was last fit on in this session, or null (e.g. after {@code Gen.load}): evaluation's real-data reference. */
    @Internal
    public Dataset trainingData() {
        return trainingData;
    }

    /** The number of weights in its networks (EMA copies included). */
    public long parameterCount() {
        long count = 0;
        for (Block network : networks().values()) {
            for (var parameter : network.getParameters()) {
                count += parameter.getValue().getArray().size();
            }
        }
        return count;
    }

    @Override
    public History history() {
        return history;
    }

    @Override
    public Device device() {
        return manager != null ? manager.getDevice() : Backend.device();
    }

    @Override
    public final void save(Path dir) {
        requireTrained("save");
        try (NDManager scratch = manager.newSubManager()) {
            Checkpoint.write(dir, family, new Checkpoint.Contents(exampleShape, config(), fromData(), networks(), adam.state(scratch), history));
        }
    }

    /**
     * Fills a model configured from {@code saved} (and given what it learned from the data) with the
     * checkpoint's weights, optimizer state and history.
     */
    protected final void restore(Checkpoint.Saved saved) {
        Path dir = saved.dir();
        try {
            buildFor(saved.exampleShape());
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(dir + " holds a " + displayName + " that cannot be rebuilt: " + e.getMessage());
        }
        Checkpoint.readWeights(dir, manager, networks());
        // Loaded arrays arrive without gradients; trainable ones need them to continue training.
        for (Block network : networks().values()) {
            network.getParameters().forEach(p -> {
                if (p.getValue().requiresGradient()) {
                    p.getValue().getArray().setRequiresGradient(true);
                }
            });
        }
        if (!networks().isEmpty()) {
            adam.restore(Checkpoint.readOptimizer(dir, manager));
        }
        Checkpoint.readHistory(dir, history);
    }

    @Override
    public Rendered render() {
        return Rendered.text(toString());
    }

    /** "on (1, 28, 28) data, 469 steps trained", or "not trained yet". */
    protected final String state() {
        return manager == null ? "not trained yet" : "on " + new Shape(exampleShape) + " data, " + history.steps() + " steps trained";
    }
}
