package dev.jgen.model.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

import java.util.Arrays;

/**
 * A noise predictor eps_theta(x_t, t[, label]) as diffusion calls it, in model space: jgen's U-Net
 * (images) or MLP (points), or the user's own block. A conditional one reads its labels as one-hot codes
 * over the classes plus one code meaning "no label", which classifier-free guidance needs.
 */
final class NoiseNetwork implements SamplingLoop.NoisePredictor {
    private final Block block;
    private final ParameterStore parameters;
    private final long[] exampleShape;
    /** The classes plus "no label" for a conditional network; 0 for an unconditional one. */
    private final int labelCodes;

    /** Initialises {@code block} for examples of {@code exampleShape} (model space: (C, H, W) or (D)). */
    NoiseNetwork(Block block, NDManager manager, ParameterStore parameters, long[] exampleShape, int labelCodes) {
        this.block = block;
        this.parameters = parameters;
        this.exampleShape = exampleShape.clone();
        this.labelCodes = labelCodes;
        Shape x = shapeOf(1);
        if (labelCodes > 0) {
            block.initialize(manager, DataType.FLOAT32, x, new Shape(1), new Shape(1, labelCodes));
        } else {
            block.initialize(manager, DataType.FLOAT32, x, new Shape(1));
        }
    }

    /** jgen's own network for examples of {@code exampleShape}: a U-Net for images, an MLP for points. */
    static Block jgens(long[] exampleShape, int channels, int hidden, boolean attention, int labelCodes) {
        if (exampleShape.length == 3 && (exampleShape[1] % 4 != 0 || exampleShape[2] % 4 != 0)) {
            throw new IllegalArgumentException("the U-Net halves the images twice, so height and width must be multiples "
                    + "of 4; got " + exampleShape[1] + "x" + exampleShape[2] + ". Pass your own network(...).");
        }
        return exampleShape.length == 3 ? new UNet((int) exampleShape[0], channels, attention, labelCodes)
                : new PointDenoiser((int) exampleShape[0], hidden);
    }

    Block block() {
        return block;
    }

    /** The noise estimate for x_t at steps t (one per example); labels null for an unconditional network. */
    NDArray predict(NDArray x, float[] t, int[] labels, boolean training) {
        NDManager m = x.getManager();
        NDList inputs = new NDList(x, m.create(t));
        if (labels != null) {
            inputs.add(m.create(labels).oneHot(labelCodes).toType(DataType.FLOAT32, false));
        }
        NDArray out = block.forward(parameters, inputs, training).singletonOrThrow();
        if (!out.getShape().equals(x.getShape())) {
            throw new IllegalStateException("the denoising network must return noise shaped like its input "
                    + x.getShape() + ", but returned " + out.getShape());
        }
        return out;
    }

    @Override
    public NDArray noise(NDArray x, int t, int[] labels) {
        float[] level = new float[(int) x.getShape().get(0)];
        Arrays.fill(level, t);
        return predict(x, level, labels, false);
    }

    @Override
    public int nullLabel() {
        return labelCodes - 1;
    }

    @Override
    public Shape shapeOf(int n) {
        long[] dims = new long[exampleShape.length + 1];
        dims[0] = n;
        System.arraycopy(exampleShape, 0, dims, 1, exampleShape.length);
        return new Shape(dims);
    }
}
