package dev.jgen.model.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

/**
 * The baseline: next-character logits from the previous character alone, one row of a (vocabulary x
 * vocabulary) table. {@link TextModel} starts it at the smoothed counts of its data, its optimum.
 */
final class Bigram extends AbstractBlock {
    private final int vocabulary;
    private final Parameter table;

    Bigram(int vocabulary) {
        this.vocabulary = vocabulary;
        table = addParameter(Parameter.builder().setName("table").setType(Parameter.Type.WEIGHT).optInitializer(new ConstantInitializer(0))
                .optShape(new Shape(vocabulary, vocabulary)).build());
    }

    Parameter table() {
        return table;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.singletonOrThrow();
        return new NDList(Transformer.embed(ids, store.getValue(table, ids.getDevice(), training)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1), vocabulary)};
    }
}
