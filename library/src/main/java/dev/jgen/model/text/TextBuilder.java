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

    /** How many characters the model sees at once (longer examples are read in windows of this length). */
    public TextBuilder context(int characters) {
        this.context = characters;
        return this;
    }

    public TextBuilder layers(int count) {
        this.layers = count;
        return this;
    }

    /** Attention heads per layer; they split the width between them. */
    public TextBuilder heads(int count) {
        this.heads = count;
        return this;
    }

    /** Features per character inside the model. */
    public TextBuilder width(int features) {
        this.width = features;
        return this;
    }

    /** The share of activations zeroed while training (0 turns it off). */
    public TextBuilder dropout(double rate) {
        this.dropout = rate;
        return this;
    }

    /** A table of next-character probabilities given the previous character, instead of a Transformer. */
    public TextBuilder bigram() {
        this.bigram = true;
        return this;
    }

    public TextModel build() {
        return new TextModel(new TextConfig(context, layers, heads, width, dropout, bigram));
    }
}
