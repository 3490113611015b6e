package dev.jgen.model.flow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import dev.jgen.nn.Layers;
import dev.jgen.nn.Ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The invertible stack of a flow on flat inputs (B, D): per layer an activation normalisation, then an
 * affine coupling that keeps the masked features and scales-and-shifts the rest by an MLP of the kept
 * ones, so its log-determinant is the sum of the log-scales.
 */
final class Couplings {
    private final ParameterStore parameters;
    private final List<ActNorm> norms = new ArrayList<>();
    private final List<SequentialBlock> conditioners = new ArrayList<>();
    private final List<NDArray> masks = new ArrayList<>();

    /** {@code exampleShape} picks the masks: a checkerboard for images (C, H, W), alternating halves for vectors. */
    Couplings(NDManager manager, ParameterStore parameters, long[] exampleShape, int couplings, int hidden) {
        this.parameters = parameters;
        int d = (int) new Shape(exampleShape).size();
        for (int k = 0; k < couplings; k++) {
            ActNorm norm = new ActNorm(d);
            norm.initialize(manager, DataType.FLOAT32, new Shape(1, d));
            norms.add(norm);
            SequentialBlock conditioner = Layers.mlp(new int[] {hidden, hidden}, 2 * d);
            // The last layer starts at zero, so every coupling starts as the identity: stable from step one.
            conditioner.getChildren().get(conditioner.getChildren().size() - 1).getValue()
                    .setInitializer(new ConstantInitializer(0f), Parameter.Type.WEIGHT);
            conditioner.initialize(manager, DataType.FLOAT32, new Shape(1, d));
            conditioners.add(conditioner);
            masks.add(manager.create(mask(k, exampleShape, d), new Shape(d)));
        }
    }

    private static float[] mask(int k, long[] exampleShape, int d) {
        float[] mask = new float[d];
        for (int i = 0; i < d; i++) {
            boolean kept;
            if (exampleShape.length == 3) {
                int width = (int) exampleShape[2];
                int row = (i / width) % (int) exampleShape[1];
                kept = ((row + i % width) % 2 == 0) == (k % 2 == 0);
            } else {
                kept = (i < (d + 1) / 2) == (k % 2 == 0);
            }
            mask[i] = kept ? 1f : 0f;
        }
        return mask;
    }

    Map<String, Block> networks() {
        Map<String, Block> networks = new LinkedHashMap<>();
        for (int k = 0; k < norms.size(); k++) {
            networks.put("actnorm" + k, norms.get(k));
            networks.put("coupling" + k, conditioners.get(k));
        }
        return networks;
    }

    /** (log-scale, shift) of coupling k for input x, zero on the features it keeps. */
    private NDArray[] scaleAndShift(int k, NDArray x, boolean training) {
        NDArray mask = masks.get(k);
        NDArray free = Ops.scalar(x.getManager(), 1).sub(mask);
        NDList st = conditioners.get(k).forward(parameters, new NDList(x.mul(mask)), training).singletonOrThrow().split(2, 1);
        // tanh keeps every scale within e^±1 per layer, so no initialisation can start with a blow-up.
        return new NDArray[] {st.get(0).tanh().mul(free), st.get(1).mul(free)};
    }

    /** z = f(y) and log|det df/dy| per example. */
    NDArray[] forward(NDArray y, boolean training) {
        NDArray z = y;
        NDArray logDet = y.getManager().zeros(new Shape(y.getShape().get(0)));
        for (int k = 0; k < norms.size(); k++) {
            ActNorm norm = norms.get(k);
            z = norm.forward(z);
            logDet = logDet.add(norm.logDet(z));
            NDArray[] st = scaleAndShift(k, z, training);
            z = z.mul(st[0].exp()).add(st[1]);
            logDet = logDet.add(st[0].sum(new int[] {1}));
        }
        return new NDArray[] {z, logDet};
    }

    /** y = f^-1(z). */
    NDArray inverse(NDArray z) {
        NDArray y = z;
        for (int k = norms.size() - 1; k >= 0; k--) {
            NDArray[] st = scaleAndShift(k, y, false);
            y = y.sub(st[1]).mul(st[0].neg().exp());
            y = norms.get(k).inverse(y);
        }
        return y;
    }

    /**
     * Data-dependent initialisation of every activation normalisation from a first batch y, layer by
     * layer; it writes parameters in place, so call it outside gradient recording.
     */
    void initialiseFrom(NDArray y) {
        NDArray z = y;
        for (int k = 0; k < norms.size(); k++) {
            norms.get(k).initialiseFrom(z);
            z = norms.get(k).forward(z);
            NDArray[] st = scaleAndShift(k, z, false);
            z = z.mul(st[0].exp()).add(st[1]);
        }
    }
}
