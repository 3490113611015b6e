package dev.jgen.model.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.jgen.nn.Layers;

/**
 * The noise predictor for points: an MLP of (x_t, sinusoidal code of t, one-hot label when conditional)
 * with SiLU activations. Inputs: (x (B, D), t (B)[, labels (B, classes + 1)]); output: noise (B, D).
 */
final class PointDenoiser extends AbstractBlock {
    private static final int TIME_CODE = 32;

    private final int features;
    private final SequentialBlock mlp;

    PointDenoiser(int features, int hidden) {
        this.features = features;
        this.mlp = addChildBlock("mlp", Layers.mlp(new int[] {hidden, hidden, hidden}, features, Layers::silu));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long labels = inputShapes.length > 2 ? inputShapes[2].get(1) : 0;
        mlp.initialize(manager, dataType, new Shape(1, features + TIME_CODE + labels));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray input = x.concat(TimeEmbedding.sinusoidal(inputs.get(1), TIME_CODE), 1);
        if (inputs.size() > 2) {
            input = input.concat(inputs.get(2), 1);
        }
        return mlp.forward(store, new NDList(input), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
