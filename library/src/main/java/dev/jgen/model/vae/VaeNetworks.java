package dev.jgen.model.vae;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import dev.jgen.nn.Layers;

/**
 * The VAE's encoder (x to the mean and log-variance of q(z|x)) and decoder (z to Bernoulli logits for
 * images, or a Gaussian's mean and log-variance for points): MLPs, or two stride-2 convolutions mirrored
 * by upsampling ones.
 */
final class VaeNetworks {
    private VaeNetworks() {}

    static SequentialBlock encoder(VaeConfig config, long[] exampleShape) {
        requireFits(config, exampleShape);
        if (!config.conv()) {
            return Layers.mlp(config.hidden(), 2 * config.latent());
        }
        return new SequentialBlock()
                .add(Layers.conv(32, 4, 2, 1)).add(Activation.reluBlock())
                .add(Layers.conv(64, 4, 2, 1)).add(Activation.reluBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(config.hidden()[0]).build()).add(Activation.reluBlock())
                .add(Linear.builder().setUnits(2L * config.latent()).build());
    }

    static SequentialBlock decoder(VaeConfig config, long[] exampleShape) {
        boolean images = exampleShape.length == 3;
        int features = (int) new Shape(exampleShape).size();
        if (!config.conv()) {
            return Layers.mlp(reversed(config.hidden()), images ? features : 2 * features);
        }
        long h = exampleShape[1] / 4;
        long w = exampleShape[2] / 4;
        return new SequentialBlock()
                .add(Linear.builder().setUnits(config.hidden()[0]).build()).add(Activation.reluBlock())
                .add(Linear.builder().setUnits(64 * h * w).build()).add(Activation.reluBlock())
                .add(Layers.unflatten(64, h, w))
                .add(Layers.upsample2x()).add(Layers.conv(32, 3, 1, 1)).add(Activation.reluBlock())
                .add(Layers.upsample2x()).add(Layers.conv((int) exampleShape[0], 3, 1, 1))
                .add(Blocks.batchFlattenBlock());
    }

    private static void requireFits(VaeConfig config, long[] shape) {
        if (config.conv() && shape.length != 3) {
            throw new IllegalArgumentException("conv() needs image data (C x H x W); this data has examples of shape "
                    + new Shape(shape) + ". Drop .conv() for an MLP VAE.");
        }
        if (config.conv() && (shape[1] % 4 != 0 || shape[2] % 4 != 0)) {
            throw new IllegalArgumentException("conv() halves the image twice, so height and width must be multiples of 4; got "
                    + shape[1] + "x" + shape[2] + ".");
        }
    }

    private static int[] reversed(int[] widths) {
        int[] out = new int[widths.length];
        for (int i = 0; i < widths.length; i++) {
            out[i] = widths[widths.length - 1 - i];
        }
        return out;
    }
}
