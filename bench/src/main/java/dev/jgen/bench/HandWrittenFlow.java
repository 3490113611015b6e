package dev.jgen.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.Pair;
import dev.jgen.nn.Layers;
import dev.jgen.nn.Ops;
import dev.jgen.train.Adam;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The DSL's RealNVP for points written directly against DJL: 8 couplings, each an activation norm
 * (a per-feature scale and shift) and an affine coupling whose MLP sees the kept half; Adam 1e-3.
 */
final class HandWrittenFlow {
    private static final int COUPLINGS = 8;
    private static final int HIDDEN = 128;

    private HandWrittenFlow() {}

    /** Seconds for {@code steps} steps of {@code batch} random points of {@code points} (N x 2). */
    static double steps(float[] points, int steps, int batch) {
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager manager = engine.newBaseManager()) {
            List<Pair<String, Parameter>> parameters = new ArrayList<>();
            Parameter[] locs = new Parameter[COUPLINGS];
            Parameter[] logScales = new Parameter[COUPLINGS];
            SequentialBlock[] nets = new SequentialBlock[COUPLINGS];
            NDArray[] masks = new NDArray[COUPLINGS];
            for (int k = 0; k < COUPLINGS; k++) {
                locs[k] = zeros("loc" + k, manager, parameters);
                logScales[k] = zeros("logScale" + k, manager, parameters);
                nets[k] = Layers.mlp(new int[] {HIDDEN, HIDDEN}, 4);
                nets[k].getChildren().get(nets[k].getChildren().size() - 1).getValue()
                        .setInitializer(new ConstantInitializer(0f), Parameter.Type.WEIGHT);
                nets[k].initialize(manager, DataType.FLOAT32, new Shape(1, 2));
                for (Pair<String, Parameter> p : nets[k].getParameters()) {
                    parameters.add(new Pair<>("net" + k + p.getKey(), p.getValue()));
                }
                masks[k] = manager.create(k % 2 == 0 ? new float[] {1, 0} : new float[] {0, 1});
            }
            ParameterStore store = new ParameterStore(manager, false);
            Adam adam = new Adam();
            Random random = new Random(0);
            int n = points.length / 2;
            long start = System.nanoTime();
            for (int s = 0; s < steps; s++) {
                float[] batchPoints = new float[2 * batch];
                for (int i = 0; i < batch; i++) {
                    System.arraycopy(points, 2 * random.nextInt(n), batchPoints, 2 * i, 2);
                }
                try (NDManager m = manager.newSubManager()) {
                    NDArray z = m.create(batchPoints, new Shape(batch, 2));
                    try (GradientCollector collector = engine.newGradientCollector()) {
                        NDArray logDet = m.zeros(new Shape(batch));
                        for (int k = 0; k < COUPLINGS; k++) {
                            z = z.mul(logScales[k].getArray().exp()).add(locs[k].getArray());
                            logDet = logDet.add(logScales[k].getArray().sum());
                            NDArray free = Ops.scalar(m, 1).sub(masks[k]);
                            NDList st = nets[k].forward(store, new NDList(z.mul(masks[k])), true).singletonOrThrow().split(2, 1);
                            NDArray logScale = st.get(0).tanh().mul(free);
                            z = z.mul(logScale.exp()).add(st.get(1).mul(free));
                            logDet = logDet.add(logScale.sum(new int[] {1}));
                        }
                        NDArray logNormal = z.square().sum(new int[] {1}).mul(Ops.scalar(m, -0.5)).sub(Ops.scalar(m, Math.log(2 * Math.PI)));
                        collector.backward(logNormal.add(logDet).mean().neg());
                    }
                    adam.update("flow", parameters, 1e-3);
                }
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private static Parameter zeros(String name, NDManager manager, List<Pair<String, Parameter>> parameters) {
        Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.BIAS).optShape(new Shape(2))
                .optInitializer(new ConstantInitializer(0f)).build();
        p.initialize(manager, DataType.FLOAT32);
        parameters.add(new Pair<>(name, p));
        return p;
    }
}
