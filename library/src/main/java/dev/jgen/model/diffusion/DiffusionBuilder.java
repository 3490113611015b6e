package dev.jgen.model.diffusion;

import ai.djl.nn.Block;

/**
 * {@code Gen.diffusion().timesteps(1000).build()}: a DDPM with a small U-Net for images and a time-aware
 * MLP for points, a cosine schedule, and an exponential moving average of the weights for sampling.
 */
public final class DiffusionBuilder {
    int timesteps = 1000;
    NoiseSchedule.Kind schedule = NoiseSchedule.Kind.COSINE;
    int channels = 32;
    int hidden = 128;
    boolean attention;
    boolean conditional;
    boolean ema = true;
    Block network;

    /** Length T of the noise schedule (1,000 in the DDPM paper). */
    public DiffusionBuilder timesteps(int steps) {
        if (steps < 2) {
            throw new IllegalArgumentException("a diffusion model needs at least 2 timesteps, got " + steps);
        }
        this.timesteps = steps;
        return this;
    }

    /** Ho et al.'s linear beta schedule instead of the cosine one (the default, which wastes fewer steps on noise). */
    public DiffusionBuilder linearSchedule() {
        this.schedule = NoiseSchedule.Kind.LINEAR;
        return this;
    }

    public DiffusionBuilder cosineSchedule() {
        this.schedule = NoiseSchedule.Kind.COSINE;
        return this;
    }

    /** Channels of the U-Net at full resolution (twice that below); a multiple of 8. */
    public DiffusionBuilder channels(int count) {
        if (count < 8 || count % 8 != 0) {
            throw new IllegalArgumentException("the U-Net's channels must be a positive multiple of 8 (group norm uses 8 groups), got " + count);
        }
        this.channels = count;
        return this;
    }

    /** Width of the three hidden layers of the MLP used for points. */
    public DiffusionBuilder hidden(int width) {
        if (width < 1) {
            throw new IllegalArgumentException("the hidden width must be at least 1, got " + width);
        }
        this.hidden = width;
        return this;
    }

    /** One self-attention block at the U-Net's lowest resolution. */
    public DiffusionBuilder attention() {
        this.attention = true;
        return this;
    }

    /**
     * Learn from labels with classifier-free guidance: the label is dropped for 10 % of the examples, so
     * one network predicts both with and without it; then {@code sample(n, label, guidanceScale)}.
     */
    public DiffusionBuilder conditional() {
        this.conditional = true;
        return this;
    }

    /** Sample with an exponential moving average of the weights (on by default). */
    public DiffusionBuilder ema(boolean on) {
        this.ema = on;
        return this;
    }

    /**
     * Your own noise predictor: it takes (x_t, t) as an NDList, x_t shaped like a batch of data scaled to
     * about [-1, 1] and t the (B) step numbers as floats (plus one-hot labels (B, classes + 1) when
     * conditional, the last column meaning "no label"), and returns the predicted noise shaped like x_t.
     */
    public DiffusionBuilder network(Block block) {
        this.network = block;
        return this;
    }

    public Diffusion build() {
        return new Diffusion(this);
    }
}
