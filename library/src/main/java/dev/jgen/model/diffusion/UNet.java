package dev.jgen.model.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.jgen.nn.GroupNorm;
import dev.jgen.nn.Layers;
import dev.jgen.nn.Ops;

/**
 * A small U-Net noise predictor for images (Ronneberger et al.; the DDPM variant of Ho et al.): two
 * resolutions down, a middle, two up with skip connections, residual blocks with group norm that each
 * receive the embedded noise level (and label), and optionally one self-attention block at the lowest
 * resolution. Inputs: (x (B, C, H, W), t (B)[, labels (B, classes + 1)]); output: noise like x.
 * H and W must be multiples of 4. Public so a hand-written loop (the benchmark's, or a user's) can train
 * the very network the DSL trains.
 */
public final class UNet extends AbstractBlock {
    private static final int GROUPS = 8;

    private final int channels;
    private final int embedding;
    private final Block time;
    private final Block label;
    private final Conv2d in;
    private final Residual down1;
    private final Conv2d downsample1;
    private final Residual down2;
    private final Conv2d downsample2;
    private final Residual middle;
    private final Attention attention;
    private final Residual up2;
    private final Residual up1;
    private final SequentialBlock out;

    /** {@code channels} at full resolution, twice that below; {@code labels} = classes + 1 (0 if unconditional). */
    public UNet(int imageChannels, int channels, boolean withAttention, int labels) {
        this.channels = channels;
        this.embedding = 4 * channels;
        this.time = addChildBlock("time", new SequentialBlock()
                .add(Linear.builder().setUnits(embedding).build()).add(Layers.silu())
                .add(Linear.builder().setUnits(embedding).build()));
        this.label = labels > 0 ? addChildBlock("label", Linear.builder().setUnits(embedding).optBias(false).build()) : null;
        this.in = addChildBlock("in", Layers.conv(channels, 3, 1, 1));
        this.down1 = addChildBlock("down1", new Residual(channels));
        this.downsample1 = addChildBlock("downsample1", Layers.conv(channels, 3, 2, 1));
        this.down2 = addChildBlock("down2", new Residual(2 * channels));
        this.downsample2 = addChildBlock("downsample2", Layers.conv(2 * channels, 3, 2, 1));
        this.middle = addChildBlock("middle", new Residual(2 * channels));
        this.attention = withAttention ? addChildBlock("attention", new Attention()) : null;
        this.up2 = addChildBlock("up2", new Residual(2 * channels));
        this.up1 = addChildBlock("up1", new Residual(channels));
        this.out = addChildBlock("out", new SequentialBlock().add(new GroupNorm(GROUPS)).add(Layers.silu())
                .add(Layers.conv(imageChannels, 3, 1, 1)));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        long h = x.get(2);
        long w = x.get(3);
        Shape emb = new Shape(1, embedding);
        time.initialize(manager, dataType, new Shape(1, channels));
        if (label != null) {
            label.initialize(manager, dataType, new Shape(1, inputShapes[2].get(1)));
        }
        in.initialize(manager, dataType, new Shape(1, x.get(1), h, w));
        down1.initialize(manager, dataType, new Shape(1, channels, h, w), emb);
        downsample1.initialize(manager, dataType, new Shape(1, channels, h, w));
        down2.initialize(manager, dataType, new Shape(1, channels, h / 2, w / 2), emb);
        downsample2.initialize(manager, dataType, new Shape(1, 2 * channels, h / 2, w / 2));
        middle.initialize(manager, dataType, new Shape(1, 2 * channels, h / 4, w / 4), emb);
        if (attention != null) {
            attention.initialize(manager, dataType, new Shape(1, 2 * channels, h / 4, w / 4));
        }
        up2.initialize(manager, dataType, new Shape(1, 4 * channels, h / 2, w / 2), emb);
        up1.initialize(manager, dataType, new Shape(1, 3 * channels, h, w), emb);
        out.initialize(manager, dataType, new Shape(1, channels, h, w));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray emb = run(time, store, TimeEmbedding.sinusoidal(inputs.get(1), channels), training);
        if (label != null) {
            emb = emb.add(run(label, store, inputs.get(2), training));
        }
        NDArray skip1 = down1.apply(store, run(in, store, x, training), emb, training);
        NDArray skip2 = down2.apply(store, run(downsample1, store, skip1, training), emb, training);
        NDArray h = middle.apply(store, run(downsample2, store, skip2, training), emb, training);
        if (attention != null) {
            h = run(attention, store, h, training);
        }
        h = up2.apply(store, Layers.upsample2x(h).concat(skip2, 1), emb, training);
        h = up1.apply(store, Layers.upsample2x(h).concat(skip1, 1), emb, training);
        return out.forward(store, new NDList(h), training);
    }

    private static NDArray run(Block block, ParameterStore store, NDArray x, boolean training) {
        return block.forward(store, new NDList(x), training).singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    /**
     * GroupNorm, SiLU, 3x3 conv; add the projected embedding per channel; GroupNorm, SiLU, 3x3 conv; plus
     * the input (through a 1x1 conv when the channel count changes).
     */
    private static final class Residual extends AbstractBlock {
        private final int outputs;
        private final SequentialBlock first;
        private final Linear project;
        private final SequentialBlock second;
        private Conv2d shortcut;

        Residual(int outputs) {
            this.outputs = outputs;
            this.first = addChildBlock("first", new SequentialBlock().add(new GroupNorm(GROUPS)).add(Layers.silu())
                    .add(Layers.conv(outputs, 3, 1, 1)));
            this.project = addChildBlock("project", Linear.builder().setUnits(outputs).build());
            this.second = addChildBlock("second", new SequentialBlock().add(new GroupNorm(GROUPS)).add(Layers.silu())
                    .add(Layers.conv(outputs, 3, 1, 1)));
        }

        @Override
        protected void beforeInitialize(Shape... inputShapes) {
            super.beforeInitialize(inputShapes);
            if (inputShapes[0].get(1) != outputs && shortcut == null) {
                shortcut = addChildBlock("shortcut", Layers.conv(outputs, 1, 1, 0));
            }
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            Shape x = inputShapes[0];
            first.initialize(manager, dataType, x);
            project.initialize(manager, dataType, inputShapes[1]);
            second.initialize(manager, dataType, new Shape(1, outputs, x.get(2), x.get(3)));
            if (shortcut != null) {
                shortcut.initialize(manager, dataType, x);
            }
        }

        NDArray apply(ParameterStore store, NDArray x, NDArray emb, boolean training) {
            return forward(store, new NDList(x, emb), training).singletonOrThrow();
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.get(0);
            NDArray emb = inputs.get(1);
            long b = x.getShape().get(0);
            NDArray h = run(first, store, x, training);
            h = h.add(run(project, store, Ops.silu(emb), training).reshape(b, outputs, 1, 1));
            h = run(second, store, h, training);
            return new NDList(h.add(shortcut == null ? x : run(shortcut, store, x, training)));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            Shape x = inputShapes[0];
            return new Shape[] {new Shape(x.get(0), outputs, x.get(2), x.get(3))};
        }
    }

    /** Single-head self-attention over the positions of a (B, C, H, W) map, with a residual connection. */
    private static final class Attention extends AbstractBlock {
        private final GroupNorm norm = addChildBlock("norm", new GroupNorm(GROUPS));
        private Linear qkv;
        private Linear output;

        @Override
        protected void beforeInitialize(Shape... inputShapes) {
            super.beforeInitialize(inputShapes);
            long c = inputShapes[0].get(1);
            if (qkv == null) {
                qkv = addChildBlock("qkv", Linear.builder().setUnits(3 * c).build());
                output = addChildBlock("output", Linear.builder().setUnits(c).build());
            }
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            Shape x = inputShapes[0];
            long c = x.get(1);
            norm.initialize(manager, dataType, x);
            qkv.initialize(manager, dataType, new Shape(1, c));
            output.initialize(manager, dataType, new Shape(1, c));
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            Shape shape = x.getShape();
            long b = shape.get(0);
            long c = shape.get(1);
            long positions = shape.get(2) * shape.get(3);
            NDArray tokens = run(norm, store, x, training).reshape(b, c, positions).transpose(0, 2, 1);
            NDList qkvParts = run(qkv, store, tokens.reshape(b * positions, c), training).reshape(b, positions, 3 * c).split(3, 2);
            NDArray scores = qkvParts.get(0).batchMatMul(qkvParts.get(1).transpose(0, 2, 1))
                    .mul(Ops.scalar(x.getManager(), 1 / Math.sqrt(c)));
            NDArray attended = scores.softmax(2).batchMatMul(qkvParts.get(2));
            NDArray projected = run(output, store, attended.reshape(b * positions, c), training).reshape(b, positions, c);
            return new NDList(x.add(projected.transpose(0, 2, 1).reshape(shape)));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }
}
