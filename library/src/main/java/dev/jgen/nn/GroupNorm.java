package dev.jgen.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Group normalisation (Wu and He, 2018) for (B, C, H, W) maps: each example's channels are split into
 * groups, each group normalised to zero mean and unit variance, then scaled and shifted per channel.
 * Unlike batch norm it does not depend on the batch, which a denoiser seeing one noise level per
 * example needs.
 */
public final class GroupNorm extends AbstractBlock {
    /**
     * libtorch's group norm, one pass forward and one backward, which DJL does not reach. Built from DJL's ops
     * (batch norm on a reshaped view, then scale, then shift) it took three forward and four backward.
     */
    private static final Map<Integer, ScriptFunction> FUNCTIONS = new ConcurrentHashMap<>();

    private final int groups;
    private final Parameter gamma;
    private final Parameter beta;

    public GroupNorm(int groups) {
        this.groups = groups;
        this.gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA)
                .optInitializer(new ConstantInitializer(1f)).build());
        this.beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA)
                .optInitializer(new ConstantInitializer(0f)).build());
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        long channels = inputShapes[0].get(1);
        if (channels % groups != 0) {
            throw new IllegalArgumentException("group norm splits " + channels + " channels into " + groups
                    + " groups, which needs the channels to be a multiple of the groups");
        }
        gamma.setShape(new Shape(channels));
        beta.setShape(new Shape(channels));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray scale = store.getValue(gamma, x.getDevice(), training);
        NDArray shift = store.getValue(beta, x.getDevice(), training);
        // A differentiable script function takes tensors only, so the group count is part of its code.
        ScriptFunction function = FUNCTIONS.computeIfAbsent(groups, g -> new ScriptFunction("GroupNorm" + g,
                "x: Tensor, gamma: Tensor, beta: Tensor", "Tensor", "return torch.group_norm(x, " + g + ", gamma, beta, 1.0000000000000001e-05, False)"));
        return new NDList(function.apply(x, scale, shift));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
