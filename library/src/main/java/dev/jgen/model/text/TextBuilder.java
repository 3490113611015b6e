package dev.jgen.model.text;

/**
 * {@code Gen.text().context(64).layers(4).heads(4).width(128).build()}: a character-level Transformer;
 * {@code Gen.text().bigram().build()}: the bigram baseline (each character predicted from the one before).
 */
public final class TextBuilder {
    private int context = 64;
    private int layers = 4;
    private int heads = 4;
    private int width = 128;
    private double dropout = 0.1;
    private boolean bigram;

    /** How many characters the model sees at once (default 64; longer examples are read in windows of this length): {@code .context(32)}. */
    public TextBuilder context(int characters) {
        this.context = characters;
        return this;
    }

    /** Transformer blocks, each attention then a feed-forward layer (default 4): {@code .layers(2)}. */
    public TextBuilder layers(int count) {
        this.layers = count;
        return this;
    }

    /** Attention heads per layer (default 4); they split the width between them: {@code .heads(8)}. */
    public TextBuilder heads(int count) {
        this.heads = count;
        return this;
    }

    /** Features per character inside the model (default 128; a multiple of the heads): {@code .width(256)}. */
    public TextBuilder width(int features) {
        this.width = features;
        return this;
    }

    /** The share of activations zeroed while training (default 0.1; 0 turns it off): {@code .dropout(0.2)}. */
    public TextBuilder dropout(double rate) {
        this.dropout = rate;
        return this;
    }

    /** A table of next-character probabilities given the previous character, instead of a Transformer. */
    public TextBuilder bigram() {
        this.bigram = true;
        return this;
    }

    /** The untrained model; its alphabet comes from the first text it is fit on. */
    public TextModel build() {
        return new TextModel(new TextConfig(context, layers, heads, width, dropout, bigram));
    }
}
