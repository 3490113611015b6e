package dev.jgen.model.vae;

import static dev.jgen.model.Require.positive;

/** {@code Gen.vae().latent(16).hidden(512, 256).build()}; {@code .conv()} for convolutional networks. */
public final class VaeBuilder {
    private int latent = 16;
    private int[] hidden = {512, 256};
    private boolean conv;

    /** Size of the latent code (default 16; 2 draws a latent map without projection): {@code Gen.vae().latent(2)}. */
    public VaeBuilder latent(int size) {
        this.latent = positive("latent", size);
        return this;
    }

    /** Hidden layer widths of the encoder (default 512, 256); the decoder mirrors them: {@code .hidden(256, 128)}. */
    public VaeBuilder hidden(int... widths) {
        this.hidden = new VaeConfig(latent, widths, conv).hidden();
        return this;
    }

    /** Two stride-2 convolutions in the encoder, upsample + convolution in the decoder (images only). */
    public VaeBuilder conv() {
        this.conv = true;
        return this;
    }

    /** The untrained model; its networks take their shapes from the first data it is fit on. */
    public Vae build() {
        return new Vae(new VaeConfig(latent, hidden, conv));
    }
}
