package dev.jgen.model.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import dev.jgen.nn.Ops;

import java.util.ArrayList;
import java.util.List;

/**
 * A decoder-only Transformer over character ids (B, T) giving next-character logits (B, T, vocabulary):
 * token and learned position embeddings, then layers of causal self-attention and a GELU MLP, each
 * behind a layer norm and added to the residual stream (pre-LN, as GPT-2), and a final norm and linear head.
 */
final class Transformer extends AbstractBlock {
    /** GPT-2's initial spread of the embeddings. */
    private static final float EMBEDDING_STD = 0.02f;

    private final TextConfig config;
    private final int vocabulary;
    private final Parameter tokens;
    private final Parameter positions;
    private final List<Layer> layers = new ArrayList<>();
    private final Block norm;
    private final Block head;

    Transformer(TextConfig config, int vocabulary) {
        this.config = config;
        this.vocabulary = vocabulary;
        tokens = addParameter(embedding("tokens", vocabulary, config.width()));
        positions = addParameter(embedding("positions", config.context(), config.width()));
        for (int l = 0; l < config.layers(); l++) {
            layers.add(addChildBlock("layer" + l, new Layer(config)));
        }
        norm = addChildBlock("norm", LayerNorm.builder().axis(2).build());
        head = addChildBlock("head", Linear.builder().setUnits(vocabulary).build());
    }

    private static Parameter embedding(String name, int rows, int width) {
        return Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optInitializer(new NormalInitializer(EMBEDDING_STD))
                .optShape(new Shape(rows, width)).build();
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape hidden = new Shape(inputShapes[0].get(0), inputShapes[0].get(1), config.width());
        for (Layer layer : layers) {
            layer.initialize(manager, dataType, hidden);
        }
        norm.initialize(manager, dataType, hidden);
        head.initialize(manager, dataType, hidden);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.singletonOrThrow();
        long length = ids.getShape().get(1);
        NDArray x = embed(ids, store.getValue(tokens, ids.getDevice(), training))
                .add(store.getValue(positions, ids.getDevice(), training).get(new NDIndex("0:" + length)));
        x = dropout(x, config.dropout(), training);
        NDArray mask = causalMask(ids.getManager(), length);
        for (Layer layer : layers) {
            x = layer.forward(store, x, mask, training);
        }
        x = norm.forward(store, new NDList(x), training).singletonOrThrow();
        return head.forward(store, new NDList(x), training);
    }

    /** Rows of {@code table} for each id in {@code ids} (B, T): as a product with one-hot rows, which trains on every engine. */
    static NDArray embed(NDArray ids, NDArray table) {
        return ids.toType(DataType.INT64, false).oneHot((int) table.getShape().get(0)).toType(DataType.FLOAT32, false).matMul(table);
    }

    /** (T, T): 0 where a position may attend (itself and those before), minus infinity after it. */
    private static NDArray causalMask(NDManager manager, long length) {
        float[] mask = new float[(int) (length * length)];
        for (int row = 0; row < length; row++) {
            for (int col = row + 1; col < length; col++) {
                mask[(int) (row * length + col)] = Float.NEGATIVE_INFINITY;
            }
        }
        return manager.create(mask, new Shape(length, length));
    }

    private static NDArray dropout(NDArray x, double rate, boolean training) {
        return training && rate > 0 ? Dropout.dropout(x, (float) rate, true).singletonOrThrow() : x;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1), vocabulary)};
    }

    /** One residual layer: x + attention(norm(x)), then x + mlp(norm(x)). */
    private static final class Layer extends AbstractBlock {
        private final TextConfig config;
        private final Block attentionNorm;
        private final Block queryKeyValue;
        private final Block projection;
        private final Block mlpNorm;
        private final Block expand;
        private final Block contract;

        Layer(TextConfig config) {
            this.config = config;
            attentionNorm = addChildBlock("attentionNorm", LayerNorm.builder().axis(2).build());
            queryKeyValue = addChildBlock("queryKeyValue", Linear.builder().setUnits(3L * config.width()).build());
            projection = addChildBlock("projection", Linear.builder().setUnits(config.width()).build());
            mlpNorm = addChildBlock("mlpNorm", LayerNorm.builder().axis(2).build());
            expand = addChildBlock("expand", Linear.builder().setUnits(4L * config.width()).build());
            contract = addChildBlock("contract", Linear.builder().setUnits(config.width()).build());
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            Shape hidden = inputShapes[0];
            Shape wide = new Shape(hidden.get(0), hidden.get(1), 4L * config.width());
            attentionNorm.initialize(manager, dataType, hidden);
            queryKeyValue.initialize(manager, dataType, hidden);
            projection.initialize(manager, dataType, hidden);
            mlpNorm.initialize(manager, dataType, hidden);
            expand.initialize(manager, dataType, hidden);
            contract.initialize(manager, dataType, wide);
        }

        NDArray forward(ParameterStore store, NDArray x, NDArray mask, boolean training) {
            NDArray attended = attention(store, one(attentionNorm, store, x, training), mask, training);
            x = x.add(dropout(one(projection, store, attended, training), config.dropout(), training));
            NDArray hidden = Activation.gelu(one(expand, store, one(mlpNorm, store, x, training), training));
            return x.add(dropout(one(contract, store, hidden, training), config.dropout(), training));
        }

        /** Causal multi-head self-attention of (B, T, width) to (B, T, width), before the output projection. */
        private NDArray attention(ParameterStore store, NDArray x, NDArray mask, boolean training) {
            Shape shape = x.getShape();
            long batch = shape.get(0);
            long length = shape.get(1);
            int heads = config.heads();
            long perHead = config.width() / heads;
            // (B, T, 3, heads, perHead) to (3, B, heads, T, perHead): queries, keys and values by head.
            NDArray qkv = one(queryKeyValue, store, x, training).reshape(batch, length, 3, heads, perHead).transpose(2, 0, 3, 1, 4);
            NDArray queries = qkv.get(0);
            NDArray keys = qkv.get(1);
            NDArray values = qkv.get(2);
            NDArray scores = queries.matMul(keys.transpose(0, 1, 3, 2)).mul(Ops.scalar(x.getManager(), 1 / Math.sqrt(perHead))).add(mask);
            NDArray weights = dropout(scores.softmax(-1), config.dropout(), training);
            return weights.matMul(values).transpose(0, 2, 1, 3).reshape(batch, length, config.width());
        }

        private static NDArray one(Block block, ParameterStore store, NDArray x, boolean training) {
            return block.forward(store, new NDList(x), training).singletonOrThrow();
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
            throw new UnsupportedOperationException("a Transformer layer runs inside the Transformer, which hands it the mask");
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }
}
