package dev.jgen.model.diffusion;

import ai.djl.nn.Block;

import static dev.jgen.model.Require.positive;

/**
 * {@code Gen.diffusion().timesteps(1000).build()}: a DDPM with a small U-Net for images and a time-aware
 * MLP for points, a cosine schedule, and an exponential moving average of the weights for sampling.
 */
public final class DiffusionBuilder {
    private int timesteps = 1000;
    private NoiseSchedule.Kind schedule = NoiseSchedule.Kind.COSINE;
    private int channels = 32;
    private int hidden = 128;
    private boolean attention;
    private boolean conditional;
    private boolean ema = true;
    private Block network;

    /** Length T of the noise schedule (default 1,000, as in the DDPM paper): {@code Gen.diffusion().timesteps(500)}. */
    public DiffusionBuilder timesteps(int steps) {
        this.timesteps = validated(steps, channels).timesteps();
        return this;
    }

    /** Ho et al.'s linear beta schedule instead of the cosine one (the default, which wastes fewer steps on noise). */
    public DiffusionBuilder linearSchedule() {
        this.schedule = NoiseSchedule.Kind.LINEAR;
        return this;
    }

    /** Nichol and Dhariwal's cosine schedule, the default: {@code Gen.diffusion().cosineSchedule()}. */
    public DiffusionBuilder cosineSchedule() {
        this.schedule = NoiseSchedule.Kind.COSINE;
        return this;
    }

    /** Channels of the U-Net at full resolution (default 32; twice that below); a multiple of 8: {@code .channels(64)}. */
    public DiffusionBuilder channels(int count) {
        this.channels = validated(timesteps, count).channels();
        return this;
    }

    /** Width of the three hidden layers of the MLP used for points (default 128): {@code .hidden(256)}. */
    public DiffusionBuilder hidden(int width) {
        this.hidden = positive("hidden", width);
        return this;
    }

    /** One self-attention block at the U-Net's lowest resolution (off by default): {@code .attention()}. */
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

    /** The untrained model: a U-Net for images, an MLP for points, chosen by the first data it is fit on. */
    public Diffusion build() {
        return new Diffusion(new DiffusionConfig(timesteps, schedule, channels, hidden, attention, conditional, ema), network);
    }

    /** The config record checks each setting as it is made, so a wrong one fails at its own call. */
    private DiffusionConfig validated(int timesteps, int channels) {
        return new DiffusionConfig(timesteps, schedule, channels, hidden, attention, conditional, ema);
    }
}
