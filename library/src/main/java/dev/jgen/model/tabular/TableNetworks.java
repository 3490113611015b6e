package dev.jgen.model.tabular;

import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import dev.jgen.nn.Layers;

import java.util.List;

/**
 * The networks of the table models (Xu et al. 2019): the TVAE's MLP encoder and decoder; the CTGAN's residual
 * generator (each layer's output joined to its input) and its discriminator of {@code pac} rows at a time.
 */
final class TableNetworks {
    private static final float DISCRIMINATOR_DROPOUT = 0.5f;

    private TableNetworks() {}

    /** Row to the mean and log-variance of q(z|row). */
    static Block encoder(TableConfig config) {
        return Layers.mlp(config.hidden(), 2 * config.latent());
    }

    /** z to the row's value means and category logits ({@code width}), then one log-variance per value. */
    static Block decoder(TableConfig config, int width, int values) {
        int[] hidden = config.hidden();
        int[] reversed = new int[hidden.length];
        for (int i = 0; i < hidden.length; i++) {
            reversed[i] = hidden[hidden.length - 1 - i];
        }
        return Layers.mlp(reversed, width + values);
    }

    /** Noise and condition to the row's pre-activations ({@code width}). */
    static Block generator(TableConfig config, int width) {
        SequentialBlock block = new SequentialBlock();
        for (int units : config.hidden()) {
            Block layer = new SequentialBlock().add(Linear.builder().setUnits(units).build()).add(BatchNorm.builder().build())
                    .add(Activation.reluBlock());
            block.add(new ParallelBlock(outputs -> new NDList(NDArrays.concat(new NDList(outputs.get(0).singletonOrThrow(),
                    outputs.get(1).singletonOrThrow()), 1)), List.of(layer, Blocks.identityBlock())));
        }
        return block.add(Linear.builder().setUnits(width).build());
    }

    /** {@code pac} rows with their conditions, side by side, to one score. */
    static Block discriminator(TableConfig config) {
        SequentialBlock block = new SequentialBlock();
        for (int units : config.hidden()) {
            block.add(Linear.builder().setUnits(units).build()).add(Layers.leakyRelu())
                    .add(Dropout.builder().optRate(DISCRIMINATOR_DROPOUT).build());
        }
        return block.add(Linear.builder().setUnits(1).build());
    }
}
