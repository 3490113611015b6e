package dev.jgen.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import dev.jgen.data.Dataset;
import dev.jgen.nn.Backend;
import dev.jgen.nn.Layers;
import dev.jgen.train.Adam;
import dev.jgen.train.Terms;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The features generated images are compared in (FCD, KID, precision and recall): the last hidden layer
 * of a small CNN classifier of the data set, trained on its labelled training split the first time (about a
 * minute on two cores) and kept under {@code ~/.jgen/classifiers}, keyed by the data's content. For data
 * without labels there is nothing to classify: the features are then the pixels, average-pooled.
 */
public final class ImageFeatures {
    /** Bumped when the classifier's design or training changes, so that old caches are not reused. */
    private static final int DESIGN = 1;
    private static final int WIDTH = 128;
    private static final int EPOCHS = 2;
    private static final int BATCH = 128;
    private static final int MAX_TRAINING = 60000;
    private static final double HELD_OUT = 0.1;
    private static final int POOLED = 7;
    private static final Map<String, ImageFeatures> LOADED = new ConcurrentHashMap<>();

    private final NDManager manager;
    private final SequentialBlock network;
    private final ParameterStore store;
    private final String description;
    private final double accuracy;
    private final Shape exampleShape;

    private ImageFeatures(NDManager manager, SequentialBlock network, Shape exampleShape, String description, double accuracy) {
        this.manager = manager;
        this.network = network;
        this.store = manager == null ? null : new ParameterStore(manager, false);
        this.exampleShape = exampleShape;
        this.description = description;
        this.accuracy = accuracy;
    }

    /**
     * Features for images like {@code training}: a classifier of the labels of all the data it was cut from
     * ({@link Dataset#source()}: one classifier serves every slice of a data set), trained now or read from
     * the cache, or average-pooled pixels when there are no labels.
     */
    public static ImageFeatures forData(Dataset data) {
        Dataset training = data.source();
        if (!training.isImage()) {
            throw new IllegalArgumentException("image features need images, and " + training.name() + " has examples of shape " + training.exampleShape());
        }
        if (!training.hasLabels()) {
            return new ImageFeatures(null, null, training.exampleShape(), "pixels average-pooled to about " + POOLED + " x " + POOLED
                    + " per channel (" + training.name() + " has no labels to train a classifier on)", Double.NaN);
        }
        String key = key(training);
        return LOADED.computeIfAbsent(key, k -> trainOrRead(training, k));
    }

    /** The length of one example's feature vector. */
    public int dim() {
        return network == null ? (int) (exampleShape.get(0) * (exampleShape.get(1) / poolingWindow(exampleShape.get(1)))
                * (exampleShape.get(2) / poolingWindow(exampleShape.get(2)))) : WIDTH;
    }

    /** Which features these are: the classifier and its accuracy on held-out data, or pooled pixels. */
    public String description() {
        return description;
    }

    /** The classifier's accuracy on the tenth of the labelled data it did not train on (NaN without a classifier). */
    public double accuracy() {
        return accuracy;
    }

    /** Features (N, dim), flat, of N images given as (N, C, H, W) values. */
    public float[] of(float[] images) {
        int size = (int) exampleShape.size();
        int n = images.length / size;
        Backend.inferenceMode();
        float[] out = new float[n * dim()];
        for (int from = 0; from < n; from += 500) {
            int to = Math.min(n, from + 500);
            try (NDManager m = Backend.newManager()) {
                NDArray x = m.create(Arrays.copyOfRange(images, from * size, to * size), batchShape(to - from));
                float[] part = (network == null ? pooled(x) : hidden(x)).toFloatArray();
                System.arraycopy(part, 0, out, from * dim(), part.length);
            }
        }
        return out;
    }

    private NDArray hidden(NDArray x) {
        NDArray h = x;
        // Every block but the classifier's last linear layer.
        for (int i = 0; i < network.getChildren().size() - 1; i++) {
            h = network.getChildren().get(i).getValue().forward(store, new NDList(h), false).singletonOrThrow();
        }
        return h;
    }

    private NDArray pooled(NDArray x) {
        Shape window = new Shape(poolingWindow(exampleShape.get(1)), poolingWindow(exampleShape.get(2)));
        return Pool.avgPool2d(x, window, window, new Shape(0, 0), false, true).reshape(x.getShape().get(0), dim());
    }

    /** The window that averages {@code size} pixels down to about POOLED. */
    private static long poolingWindow(long size) {
        return Math.max(1, size / POOLED);
    }

    private Shape batchShape(long n) {
        return new Shape(n, exampleShape.get(0), exampleShape.get(1), exampleShape.get(2));
    }

    private static SequentialBlock design(int classes) {
        return new SequentialBlock()
                .add(Layers.conv(16, 3, 2, 1)).add(Activation.reluBlock())
                .add(Layers.conv(32, 3, 2, 1)).add(Activation.reluBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(WIDTH).build()).add(Activation.reluBlock())
                .add(Linear.builder().setUnits(classes).build());
    }

    private static ImageFeatures trainOrRead(Dataset data, String key) {
        int classes = Arrays.stream(data.labels()).max().orElse(0) + 1;
        NDManager manager = Backend.newManager();
        SequentialBlock network = design(classes);
        Shape one = new Shape(1, data.exampleShape().get(0), data.exampleShape().get(1), data.exampleShape().get(2));
        network.initialize(manager, DataType.FLOAT32, one);
        Path folder = cacheFolder().resolve(key);
        Path weights = folder.resolve("classifier.params");
        Path accuracyFile = folder.resolve("accuracy.txt");
        double accuracy;
        try {
            if (Files.isRegularFile(weights) && Files.isRegularFile(accuracyFile)) {
                try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(weights)))) {
                    network.loadParameters(manager, in);
                }
                accuracy = Double.parseDouble(Files.readString(accuracyFile).trim());
            } else {
                accuracy = train(network, manager, data, classes);
                Files.createDirectories(folder);
                try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(weights)))) {
                    network.saveParameters(out);
                }
                Files.writeString(accuracyFile, Double.toString(accuracy));
            }
        } catch (IOException | ai.djl.MalformedModelException e) {
            throw new IllegalStateException("the feature classifier's cache in " + folder + " is unreadable (" + e.getMessage()
                    + "); delete that folder and it will be trained again", e);
        }
        String description = String.format("a small CNN classifier of %s (%d classes, %.1f %% accuracy on held-out examples), last hidden layer",
                data.name(), classes, 100 * accuracy);
        return new ImageFeatures(manager, network, data.exampleShape(), description, accuracy);
    }

    /** Trains on 90 % of the data (at most 60,000 examples) and returns the accuracy on the rest. */
    private static double train(SequentialBlock network, NDManager manager, Dataset data, int classes) {
        Dataset[] parts = data.shuffle(DESIGN).take(Math.min(data.size(), MAX_TRAINING)).split(1 - HELD_OUT);
        Dataset training = parts[0];
        Dataset heldOut = parts[1];
        ParameterStore store = new ParameterStore(manager, false);
        Adam adam = new Adam();
        Random random = new Random(DESIGN);
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            int[] order = Dataset.permutation(training.size(), random);
            for (int from = 0; from + BATCH <= training.size(); from += BATCH) {
                int to = from + BATCH;
                try (NDManager m = manager.newSubManager()) {
                    NDArray x = training.batch(m, from, to, order);
                    NDArray y = training.labelBatch(m, from, to, order).oneHot(classes).toType(DataType.FLOAT32, false);
                    adam.minimise(() -> {
                        NDArray logits = network.forward(store, new NDList(x), true).singletonOrThrow();
                        return Terms.loss("loss", logits.logSoftmax(1).mul(y).sum(new int[] {1}).neg().mean());
                    }, Map.of("classifier", network), 1e-3);
                }
            }
        }
        Backend.inferenceMode();
        int correct = 0;
        for (int from = 0; from < heldOut.size(); from += 500) {
            int to = Math.min(heldOut.size(), from + 500);
            try (NDManager m = manager.newSubManager()) {
                float[] logits = network.forward(store, new NDList(heldOut.batch(m, from, to, null)), false).singletonOrThrow().toFloatArray();
                for (int i = from; i < to; i++) {
                    int best = 0;
                    for (int c = 1; c < classes; c++) {
                        if (logits[(i - from) * classes + c] > logits[(i - from) * classes + best]) {
                            best = c;
                        }
                    }
                    correct += best == heldOut.label(i) ? 1 : 0;
                }
            }
        }
        return correct / (double) heldOut.size();
    }

    /** Where classifiers are kept: {@code $JGEN_HOME/classifiers}, by default {@code ~/.jgen/classifiers}. */
    static Path cacheFolder() {
        String home = System.getenv("JGEN_HOME");
        return (home == null || home.isBlank() ? Path.of(System.getProperty("user.home"), ".jgen") : Path.of(home)).resolve("classifiers");
    }

    /** A digest of the design, the shape, the values and the labels. */
    private static String key(Dataset data) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(ByteBuffer.allocate(4).putInt(DESIGN).array());
            digest.update(data.exampleShape().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            float[] values = data.toFloatArray();
            ByteBuffer buffer = ByteBuffer.allocate(4 * 65536);
            for (int i = 0; i < values.length; i += 65536) {
                buffer.clear();
                buffer.asFloatBuffer().put(values, i, Math.min(65536, values.length - i));
                digest.update(buffer.array(), 0, 4 * Math.min(65536, values.length - i));
            }
            ByteBuffer labels = ByteBuffer.allocate(4 * data.size());
            labels.asIntBuffer().put(data.labels());
            digest.update(labels.array());
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "ImageFeatures: " + description;
    }
}
