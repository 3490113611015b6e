package dev.jgen.model.vae;

import java.util.Arrays;

/** {@code Gen.vae().latent(16).hidden(512, 256).build()}; {@code .conv()} for convolutional networks. */
public final class VaeBuilder {
    private int latent = 16;
    private int[] hidden = {512, 256};
    private boolean conv;

    public VaeBuilder latent(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("the latent size must be at least 1, got " + size);
        }
        this.latent = size;
        return this;
    }

    /** Hidden layer widths of the encoder; the decoder mirrors them. */
    public VaeBuilder hidden(int... widths) {
        if (widths.length == 0 || Arrays.stream(widths).anyMatch(w -> w < 1)) {
            throw new IllegalArgumentException("hidden(...) needs one or more positive widths, got " + Arrays.toString(widths));
        }
        this.hidden = widths.clone();
        return this;
    }

    /** Two stride-2 convolutions in the encoder, upsample + convolution in the decoder (images only). */
    public VaeBuilder conv() {
        this.conv = true;
        return this;
    }

    public Vae build() {
        return new Vae(new Vae.Config(latent, hidden.clone(), conv));
    }
}
