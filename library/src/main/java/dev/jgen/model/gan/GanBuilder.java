package dev.jgen.model.gan;

import ai.djl.nn.Block;

import static dev.jgen.model.Require.positive;

/**
 * {@code Gen.gan().latent(64).build()}: a DCGAN for images, MLPs for points. Non-saturating loss and an
 * exponential moving average of the generator by default; every part can be swapped.
 */
public final class GanBuilder {
    /** 0: chosen from the data (64 for images, the data's own dimension for points). */
    private int latent;
    private int hidden = 256;
    private boolean hinge;
    private boolean ema = true;
    private boolean conditional;
    private boolean spectralNorm;
    private Block generator;
    private Block discriminator;

    /** Noise dimension; by default 64 for images and the data's dimension for points (2 for the toys). */
    public GanBuilder latent(int size) {
        this.latent = positive("latent", size);
        return this;
    }

    /** Width of the two hidden layers of the MLPs used for points (default 256): {@code Gen.gan().hidden(128)}. */
    public GanBuilder hidden(int width) {
        this.hidden = positive("hidden", width);
        return this;
    }

    /** Hinge loss instead of the non-saturating one (the default): {@code Gen.gan().spectralNorm().hinge()}. */
    public GanBuilder hinge() {
        this.hinge = true;
        return this;
    }

    /** Sample from an exponential moving average of the generator's weights (on by default). */
    public GanBuilder ema(boolean on) {
        this.ema = on;
        return this;
    }

    /** Spectral normalisation of every discriminator layer: steadier training, fewer artefacts. */
    public GanBuilder spectralNorm() {
        this.spectralNorm = true;
        return this;
    }

    /** Condition both networks on the class label: then {@code sample(n, label)} and {@code perClass(k)}. */
    public GanBuilder conditional() {
        this.conditional = true;
        return this;
    }

    /**
     * Your own generator: it takes (B, latent) noise (plus one-hot labels when conditional) and returns
     * (B, example shape...) in the data's range.
     */
    public GanBuilder generator(Block block) {
        this.generator = block;
        return this;
    }

    /** Your own discriminator: it takes (B, example shape...) and returns one logit per example, (B, 1). */
    public GanBuilder discriminator(Block block) {
        this.discriminator = block;
        return this;
    }

    /** The untrained GAN: a DCGAN for images, MLPs for points, chosen by the first data it is fit on. */
    public Gan build() {
        return new Gan(new GanConfig(latent, hidden, hinge, ema, conditional, spectralNorm), generator, discriminator);
    }
}
