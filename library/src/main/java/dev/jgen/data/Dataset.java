package dev.jgen.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.jgen.Internal;
import dev.jgen.display.Png;
import dev.jgen.display.Renderable;
import dev.jgen.display.Rendered;
import dev.jgen.display.TextList;
import dev.jgen.nn.Backend;
import dev.jgen.plot.Charts;
import dev.jgen.plot.ImageGrid;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * An immutable set of examples (images C x H x W, points, or lines of text) with optional integer labels.
 * Views ({@link #take}, {@link #shuffle}, {@link #split}, {@link #ofClass}) share the values and only
 * hold row indices, so slicing Fashion-MNIST costs nothing.
 */
public final class Dataset implements Renderable {
    private static final int PREVIEW = 32;
    private static final int TEXT_PREVIEW = 12;

    private final String name;
    private final float[] values;
    private final int[] labels;
    private final long[] exampleShape;
    private final int features;
    private final int[] rows;
    private final List<String> classNames;
    /** Set once {@link #requireFinite} passed: the values never change, so later fits need not look again. */
    private volatile boolean checkedFinite;
    /** For a data set read from a table: the same rows with labels from a column of it. */
    private Function<String, Dataset> labelColumns;
    /** The examples of a text data set (then {@link #values} is empty), else null. */
    private final Text text;

    /**
     * Text examples and the characters of all of them; fragments are pieces cut from running text, with no
     * start or end of their own.
     */
    private record Text(List<String> examples, Vocabulary vocabulary, boolean fragments) {}

    Dataset(String name, float[] values, int[] labels, long[] exampleShape, List<String> classNames) {
        this(name, values, labels, exampleShape, identity(values.length / product(exampleShape)), classNames, null);
    }

    private Dataset(String name, float[] values, int[] labels, long[] exampleShape, int[] rows, List<String> classNames, Text text) {
        this.text = text;
        this.name = name;
        this.values = values;
        this.labels = labels;
        this.exampleShape = exampleShape;
        this.features = product(exampleShape);
        this.rows = rows;
        this.classNames = classNames;
    }

    /**
     * A data set from N x features values (row-major) and optional labels, e.g. for your own data. It keeps
     * copies, so that changing your arrays later does not change what a model trains on.
     */
    public static Dataset of(String name, float[] values, Shape exampleShape, int[] labels) {
        long[] dims = exampleShape.getShape();
        int features = product(dims);
        if (features == 0 || values.length % features != 0) {
            throw new DataException(String.format("%d values do not split into examples of shape %s.",
                    values.length, exampleShape));
        }
        int n = values.length / features;
        if (labels != null && labels.length != n) {
            throw new DataException(String.format("%d labels given for %d examples.", labels.length, n));
        }
        return new Dataset(name, values.clone(), labels == null ? null : labels.clone(), dims, null);
    }

    /**
     * Text examples (a name, a line, a fortune); {@code fragments} when they are windows cut from running
     * text rather than whole examples with a start and an end.
     */
    static Dataset ofText(String name, List<String> examples, boolean fragments) {
        if (examples.isEmpty()) {
            throw new DataException(name + " holds no text: it has no non-empty examples.");
        }
        List<String> kept = List.copyOf(examples);
        return new Dataset(name, new float[0], null, new long[0], identity(kept.size()), null,
                new Text(kept, Vocabulary.of(kept), fragments));
    }

    /** Lets {@link #labels(String)} take labels from the columns of the table this data set was read from. */
    Dataset labelledBy(Function<String, Dataset> columns) {
        this.labelColumns = columns;
        return this;
    }

    private Dataset view(String viewName, int[] newRows) {
        Dataset view = new Dataset(viewName, values, labels, exampleShape, newRows, classNames, text);
        view.checkedFinite = checkedFinite;
        return view;
    }

    public String name() {
        return name;
    }

    public int size() {
        return rows.length;
    }

    /** The shape of the whole set: (N, C, H, W) for images, (N, D) for points. */
    public Shape shape() {
        long[] dims = new long[exampleShape.length + 1];
        dims[0] = rows.length;
        System.arraycopy(exampleShape, 0, dims, 1, exampleShape.length);
        return new Shape(dims);
    }

    public Shape exampleShape() {
        return new Shape(exampleShape);
    }

    /** Values per example (784 for Fashion-MNIST, 2 for the toy sets). */
    public int features() {
        return features;
    }

    public boolean isImage() {
        return exampleShape.length == 3;
    }

    /** Lines of text ({@link Datasets#names}, {@link Datasets#text}, ...) rather than numbers. */
    public boolean isText() {
        return text != null;
    }

    /** Text cut from running text ({@link Datasets#corpus}): pieces without a start or an end of their own. */
    public boolean isFragments() {
        return text != null && text.fragments();
    }

    /** Example {@code i} of a text data set. */
    public String text(int i) {
        requireText("text");
        return text.examples().get(rows[i]);
    }

    /** Every example of a text data set, in order. */
    public List<String> texts() {
        requireText("texts");
        List<String> out = new ArrayList<>(rows.length);
        for (int r : rows) {
            out.add(text.examples().get(r));
        }
        return out;
    }

    /** The characters of the whole text data set (every slice of it shares them). */
    public Vocabulary vocabulary() {
        requireText("vocabulary");
        return text.vocabulary();
    }

    private void requireText(String what) {
        if (text == null) {
            throw new DataException(name + " holds numbers, not text, so " + what + "() is not available.");
        }
    }

    private void requireNumbers(String what) {
        if (text != null) {
            throw new DataException(name + " is text, so " + what + "() has no numbers to give: train a text model on it, "
                    + "Gen.text().build(), or read its lines with texts().");
        }
    }

    public boolean hasLabels() {
        return labels != null;
    }

    public int label(int i) {
        requireLabels("label");
        return labels[rows[i]];
    }

    public int[] labels() {
        requireLabels("labels");
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = labels[rows[i]];
        }
        return out;
    }

    /**
     * The same rows with labels from {@code column} (text or whole numbers; classes in sorted order) of the
     * table this data set was read from by {@link Datasets#table} or {@link Datasets#csv}. Rows missing a label
     * are dropped too.
     */
    public Dataset labels(String column) {
        if (labelColumns == null) {
            throw new DataException(name + " was not read from a table, so it has no columns to take labels from: call labels(\""
                    + column + "\") right after Datasets.table(...) or Datasets.csv(...), before take, split or shuffle. Arrays of "
                    + "your own get labels through Dataset.of(name, values, shape, labels).");
        }
        return labelColumns.apply(column);
    }

    /**
     * Colour images as one channel of luma (0.299 R + 0.587 G + 0.114 B, ITU-R BT.601); one-channel images
     * are returned as they are.
     */
    public Dataset grayscale() {
        requireNumbers("grayscale");
        if (!isImage() || (exampleShape[0] != 1 && exampleShape[0] != 3)) {
            throw new DataException(name + " holds examples of shape " + exampleShape() + ", not images of 1 or 3 channels (C, H, W), "
                    + "so there is nothing to turn gray.");
        }
        if (exampleShape[0] == 1) {
            return this;
        }
        int plane = (int) (exampleShape[1] * exampleShape[2]);
        float[] gray = new float[rows.length * plane];
        for (int i = 0; i < rows.length; i++) {
            int base = rows[i] * features;
            for (int p = 0; p < plane; p++) {
                gray[i * plane + p] = 0.299f * values[base + p] + 0.587f * values[base + plane + p] + 0.114f * values[base + 2 * plane + p];
            }
        }
        return new Dataset(name, gray, hasLabels() ? labels() : null, new long[] {1, exampleShape[1], exampleShape[2]}, classNames);
    }

    /** Names of the classes where the data set has them (Fashion-MNIST), else an empty list. */
    public List<String> classNames() {
        return classNames == null ? List.of() : classNames;
    }

    /**
     * Every example of the data this one was cut from with {@code take}, {@code shuffle}, {@code split} or
     * {@code ofClass} (itself when it is whole): e.g. all 60,000 Fashion-MNIST images behind {@code train.take(2000)}.
     */
    public Dataset source() {
        return view(name, identity(text != null ? text.examples().size() : values.length / features));
    }

    public Dataset take(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("take(" + n + "): the count must be zero or more");
        }
        int count = Math.min(n, rows.length);
        return view(name, Arrays.copyOf(rows, count));
    }

    public Dataset shuffle(long seed) {
        return view(name, permuted(new Random(seed)));
    }

    /** Shuffles with a generator derived from {@code Gen.seed}. */
    public Dataset shuffle() {
        return view(name, permuted(Backend.newRandom()));
    }

    /**
     * The first {@code fraction} of the examples and the rest, as a two-element array (like Tablesaw's
     * {@code sampleSplit}). Shuffle first for a random split.
     */
    public Dataset[] split(double fraction) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("split(" + fraction + "): the fraction must lie strictly between 0 and 1");
        }
        int cut = (int) Math.round(rows.length * fraction);
        return new Dataset[] {view(name, Arrays.copyOfRange(rows, 0, cut)), view(name, Arrays.copyOfRange(rows, cut, rows.length))};
    }

    public Dataset ofClass(int label) {
        requireLabels("ofClass");
        int[] kept = Arrays.stream(rows).filter(r -> labels[r] == label).toArray();
        if (kept.length == 0) {
            throw new DataException(name + " has no examples of class " + label + "; its labels are " + labelRange() + ".");
        }
        String className = label < classNames().size() ? classNames.get(label) : "class " + label;
        return view(name + " (" + className + ")", kept);
    }

    /** Example {@code i} as a flat array of {@link #features()} floats. */
    public float[] example(int i) {
        requireNumbers("example");
        float[] out = new float[features];
        System.arraycopy(values, rows[i] * features, out, 0, features);
        return out;
    }

    /** All examples, flattened row-major into N x features floats. */
    public float[] toFloatArray() {
        return gather(0, rows.length, null);
    }

    public NDArray toNDArray(NDManager manager) {
        return manager.create(toFloatArray(), shape());
    }

    /**
     * Examples {@code order[from..to)} (or {@code from..to} when order is null) as one batch array of
     * shape (B, example shape...).
     */
    public NDArray batch(NDManager manager, int from, int to, int[] order) {
        return manager.create(gather(from, to, order), batchShape(to - from));
    }

    @Internal
    public NDArray labelBatch(NDManager manager, int from, int to, int[] order) {
        return manager.create(batchLabels(from, to, order));
    }

    /** (examples, example shape...): the shape of a batch of this data. */
    @Internal
    public Shape batchShape(int examples) {
        long[] dims = new long[exampleShape.length + 1];
        dims[0] = examples;
        System.arraycopy(exampleShape, 0, dims, 1, exampleShape.length);
        return new Shape(dims);
    }

    /**
     * Writes the examples {@link #batch} would hold into {@code into}, from its position on: the training
     * loop fills a tensor's memory this way.
     */
    @Internal
    public void copyBatch(int from, int to, int[] order, FloatBuffer into) {
        requireNumbers("batch");
        for (int i = from; i < to; i++) {
            into.put(values, rows[order == null ? i : order[i]] * features, features);
        }
    }

    /** The labels of the examples {@link #batch} would hold. */
    @Internal
    public int[] batchLabels(int from, int to, int[] order) {
        requireLabels("labelBatch");
        int[] out = new int[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = labels[rows[order == null ? i : order[i]]];
        }
        return out;
    }

    private float[] gather(int from, int to, int[] order) {
        requireNumbers("toFloatArray");
        float[] out = new float[(to - from) * features];
        copyBatch(from, to, order, FloatBuffer.wrap(out));
        return out;
    }

    /**
     * Fails, naming the first offending example and feature, when any value is NaN or infinite: a model
     * trained on such data learns nothing but NaN.
     */
    public void requireFinite() {
        if (checkedFinite || text != null) {
            return;
        }
        for (int i = 0; i < rows.length; i++) {
            int offset = rows[i] * features;
            for (int f = 0; f < features; f++) {
                float v = values[offset + f];
                if (!Float.isFinite(v)) {
                    throw new DataException(String.format("%s holds %s at example %d (value %d of %d); models train only on "
                                    + "finite numbers. Drop or repair that example first (take, split and ofClass make views without it).",
                            name, v, i, f, features));
                }
            }
        }
        checkedFinite = true;
    }

    private int[] permuted(Random random) {
        int[] order = permutation(rows.length, random);
        for (int i = 0; i < order.length; i++) {
            order[i] = rows[order[i]];
        }
        return order;
    }

    /** A uniformly random ordering of 0..n-1 (Fisher-Yates). */
    @Internal
    public static int[] permutation(int n, Random random) {
        int[] order = identity(n);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private void requireLabels(String what) {
        if (labels == null) {
            throw new DataException(name + " has no labels, so " + what + "() is not available.");
        }
    }

    private String labelRange() {
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int r : rows) {
            min = Math.min(min, labels[r]);
            max = Math.max(max, labels[r]);
        }
        return rows.length == 0 ? "none" : min + ".." + max;
    }

    @Override
    public Rendered render() {
        if (text != null) {
            List<String> head = take(TEXT_PREVIEW).texts();
            return Rendered.html(TextList.html(toString(), head, rows.length), toString() + "\n" + TextList.plain(head));
        }
        int n = Math.min(PREVIEW, rows.length);
        if (isImage() && n > 0) {
            byte[] png = Png.encode(ImageGrid.of(gather(0, n, null), n, (int) exampleShape[0],
                    (int) exampleShape[1], (int) exampleShape[2], 16, 2));
            return Rendered.png(png, toString());
        }
        if (features == 2 && n > 0) {
            int shown = Math.min(rows.length, 5000);
            Dataset head = take(shown);
            return Rendered.png(Charts.scatter(toString(), head.toFloatArray(), hasLabels() ? head.labels() : null,
                    classNames()).png(), toString());
        }
        return Rendered.text(toString());
    }

    @Override
    public String toString() {
        if (text != null) {
            return String.format("Dataset %s: %,d %s of text, %s", name, rows.length, text.fragments() ? "pieces" : "examples",
                    text.vocabulary());
        }
        List<String> dims = new ArrayList<>();
        for (long d : exampleShape) {
            dims.add(String.valueOf(d));
        }
        String shape = String.join("x", dims);
        String labelText = labels == null ? "no labels" : "labels " + labelRange();
        return String.format("Dataset %s: %,d examples of %s, %s", name, rows.length, shape, labelText);
    }

    private static int product(long[] dims) {
        long p = 1;
        for (long d : dims) {
            p *= d;
        }
        return (int) p;
    }

    private static int[] identity(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }
}
