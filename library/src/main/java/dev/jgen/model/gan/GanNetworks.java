package dev.jgen.model.gan;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import dev.jgen.nn.Layers;
import dev.jgen.nn.SpectralNorm;

/** jgen's own generator and discriminator: a small DCGAN for images (C x H x W), MLPs for points. */
final class GanNetworks {
    private GanNetworks() {}

    static Block generator(long[] exampleShape, int hidden) {
        return exampleShape.length == 3 ? dcganGenerator(exampleShape) : Layers.mlp(new int[] {hidden, hidden}, (int) exampleShape[0]);
    }

    /** Every layer spectrally normalised on request. */
    static Block discriminator(long[] exampleShape, int hidden, boolean spectralNorm) {
        if (exampleShape.length == 3) {
            return new SequentialBlock()
                    .add(spectralNorm ? SpectralNorm.conv(32, 4, 2, 1) : Layers.conv(32, 4, 2, 1)).add(Layers.leakyRelu())
                    .add(spectralNorm ? SpectralNorm.conv(64, 4, 2, 1) : Layers.conv(64, 4, 2, 1)).add(Layers.leakyRelu())
                    .add(Blocks.batchFlattenBlock())
                    .add(dense(1, spectralNorm));
        }
        return new SequentialBlock().add(Blocks.batchFlattenBlock())
                .add(dense(hidden, spectralNorm)).add(Layers.leakyRelu())
                .add(dense(hidden, spectralNorm)).add(Layers.leakyRelu())
                .add(dense(1, spectralNorm));
    }

    /**
     * Dense to 64 maps of 1/4 size, then twice (upsample, 3x3 convolution); pixels through a sigmoid.
     * Narrower than the paper's DCGAN so that a few CPU minutes go a long way.
     */
    private static SequentialBlock dcganGenerator(long[] shape) {
        long h = shape[1] / 4;
        long w = shape[2] / 4;
        return new SequentialBlock()
                .add(Linear.builder().setUnits(64 * h * w).build()).add(BatchNorm.builder().build()).add(Activation.reluBlock())
                .add(Layers.unflatten(64, h, w))
                .add(Layers.upsample2x()).add(Layers.conv(32, 3, 1, 1)).add(BatchNorm.builder().build()).add(Activation.reluBlock())
                .add(Layers.upsample2x()).add(Layers.conv((int) shape[0], 3, 1, 1))
                .add(Activation.sigmoidBlock());
    }

    private static Block dense(int units, boolean spectralNorm) {
        return spectralNorm ? SpectralNorm.linear(units) : Linear.builder().setUnits(units).build();
    }
}
