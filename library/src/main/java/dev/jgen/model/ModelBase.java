package dev.jgen.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.jgen.data.Dataset;
import dev.jgen.display.Renderable;
import dev.jgen.display.Rendered;
import dev.jgen.nn.Backend;
import dev.jgen.train.Adam;
import dev.jgen.train.History;
import dev.jgen.train.TrainingLoop;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

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

    private static final long PROBE_SEED = 20261123;
    private float[] probeLatents;

    protected ModelBase(String family, String displayName, Adam adam) {
        this.family = family;
        this.displayName = displayName;
        this.history = new History(displayName + " training");
        this.adam = adam;
    }

    /** Creates and initialises the networks for {@link #exampleShape} in {@link #manager}. */
    protected abstract void build();

    /** The networks whose weights a checkpoint keeps, by name. */
    protected abstract Map<String, Block> networks();

    /** The builder's settings, written into a checkpoint. */
    protected abstract Properties config();

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

    /**
     * The shared fit loop, able to save this model as {@link dev.jgen.train.Fit#checkpointEvery} asks;
     * {@code metrics} are the names every step reports, "loss" among them.
     */
    protected final TrainingLoop trainingLoop(String... metrics) {
        return new TrainingLoop(displayName, history, manager, List.of(metrics)).saveWith(this::save);
    }

    /** Fails with one sentence unless a fit has completed at least one step (or a checkpoint was loaded). */
    protected final void requireTrained(String what) {
        if (manager == null || history.steps() == 0) {
            throw new IllegalStateException("this " + displayName + " has not been trained yet, so " + what
                    + " has nothing to work with. Call fit(data, Fit.epochs(1)) first.");
        }
    }

    /** One sentence for a count that must be at least 1, such as sample(-5)'s. */
    protected static void requirePositive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, got " + value);
        }
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

    /** A copy of {@code array} owned by {@code target}, so intermediates stay out of the caller's manager. */
    protected static NDArray copyInto(NDArray array, NDManager target) {
        return target.create(array.toFloatArray(), array.getShape());
    }

    protected final int features() {
        return (int) new Shape(exampleShape).size();
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
        Properties props = config();
        props.setProperty("exampleShape", Checkpoint.join(exampleShape));
        try (NDManager scratch = manager.newSubManager()) {
            Checkpoint.write(dir, family, new Checkpoint.Contents(props, networks(), adam.state(scratch), history));
        }
    }

    /** Fills a freshly configured model from a checkpoint: weights, optimizer state and history. */
    protected final void restore(Path dir, Properties props) {
        buildFor(Checkpoint.longs(dir, props, "exampleShape"));
        Checkpoint.readWeights(dir, manager, networks());
        // Loaded arrays arrive without gradients; trainable ones need them to continue training.
        for (Block network : networks().values()) {
            network.getParameters().forEach(p -> {
                if (p.getValue().requiresGradient()) {
                    p.getValue().getArray().setRequiresGradient(true);
                }
            });
        }
        adam.restore(Checkpoint.readOptimizer(dir, manager));
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
