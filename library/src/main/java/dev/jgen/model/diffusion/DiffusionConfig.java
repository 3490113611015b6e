package dev.jgen.model.diffusion;

import java.util.Arrays;

import static dev.jgen.model.Require.positive;

/**
 * What the builder chose: the noise schedule's kind and length, the U-Net's channels (images) or the MLP's
 * width (points), attention, conditioning on labels, and sampling with a moving average of the weights.
 */
public record DiffusionConfig(int timesteps, NoiseSchedule.Kind schedule, int channels, int hidden, boolean attention,
                              boolean conditional, boolean ema) {
    public DiffusionConfig {
        if (timesteps < 2) {
            throw new IllegalArgumentException("a diffusion model needs at least 2 timesteps, got " + timesteps);
        }
        if (schedule == null) {
            throw new IllegalArgumentException("the noise schedule must be one of " + Arrays.toString(NoiseSchedule.Kind.values()));
        }
        if (channels < 8 || channels % 8 != 0) {
            throw new IllegalArgumentException("the U-Net's channels must be a positive multiple of 8 (group norm uses 8 groups), got " + channels);
        }
        positive("hidden", hidden);
    }
}
