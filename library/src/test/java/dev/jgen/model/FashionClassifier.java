package dev.jgen.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import dev.jgen.data.Dataset;
import dev.jgen.nn.Backend;
import dev.jgen.nn.Layers;
import dev.jgen.train.Adam;
import dev.jgen.train.Terms;

import java.util.Map;
import java.util.Random;

/**
 * A small MLP classifier of Fashion-MNIST, the judge of generated images in tests (an Inception-score
 * in miniature): samples that look like clothing get confident predictions spread over the classes.
 */
final class FashionClassifier implements AutoCloseable {
    private final NDManager manager = Backend.newManager();
    private final SequentialBlock network = Layers.mlp(new int[] {256}, 10);
    private final ParameterStore store = new ParameterStore(manager, false);

    FashionClassifier(Dataset train, int epochs) {
        network.initialize(manager, DataType.FLOAT32, new Shape(1, 784));
        Adam adam = new Adam();
        Random random = new Random(0);
        for (int e = 0; e < epochs; e++) {
            int[] order = Dataset.permutation(train.size(), random);
            for (int from = 0; from < train.size(); from += 128) {
                int to = Math.min(train.size(), from + 128);
                try (NDManager m = manager.newSubManager()) {
                    NDArray x = train.batch(m, from, to, order).reshape(to - from, 784);
                    NDArray y = train.labelBatch(m, from, to, order).oneHot(10).toType(DataType.FLOAT32, false);
                    adam.minimise(() -> {
                        NDArray logits = network.forward(store, new NDList(x), true).singletonOrThrow();
                        return Terms.loss("loss", logits.logSoftmax(1).mul(y).sum(new int[] {1}).neg().mean());
                    }, Map.of("classifier", network), 1e-3);
                }
            }
        }
        Backend.inferenceMode();
    }

    /** Class probabilities (N x 10) of images given as N*784 floats in [0, 1]. */
    float[] probabilities(float[] images) {
        Backend.inferenceMode();
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(images, new Shape(images.length / 784, 784));
            return network.forward(store, new NDList(x), false).singletonOrThrow().softmax(1).toFloatArray();
        }
    }

    /** The hidden layer's activations (N x 256) for images given as N*784 floats: the features a Fréchet distance compares. */
    float[] features(float[] images) {
        Backend.inferenceMode();
        try (NDManager m = manager.newSubManager()) {
            NDList h = new NDList(m.create(images, new Shape(images.length / 784, 784)));
            // The MLP is flatten, dense, ReLU, dense: run all but the last.
            for (int i = 0; i < network.getChildren().size() - 1; i++) {
                h = network.getChildren().get(i).getValue().forward(store, h, false);
            }
            return h.singletonOrThrow().toFloatArray();
        }
    }

    static final int FEATURES = 256;

    double accuracy(Dataset test) {
        float[] p = probabilities(test.toFloatArray());
        int correct = 0;
        for (int i = 0; i < test.size(); i++) {
            correct += argmax(p, i) == test.label(i) ? 1 : 0;
        }
        return correct / (double) test.size();
    }

    static int argmax(float[] p, int row) {
        int best = 0;
        for (int c = 1; c < 10; c++) {
            best = p[row * 10 + c] > p[row * 10 + best] ? c : best;
        }
        return best;
    }

    @Override
    public void close() {
        manager.close();
    }
}
