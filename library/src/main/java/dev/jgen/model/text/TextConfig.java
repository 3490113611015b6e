package dev.jgen.model.text;

import static dev.jgen.model.Require.positive;

/**
 * What the builder chose: the context (characters the model sees at once), the Transformer's layers, heads,
 * width and dropout, or a bigram table instead of a Transformer.
 */
public record TextConfig(int context, int layers, int heads, int width, double dropout, boolean bigram) {
    public TextConfig {
        positive("context", context);
        positive("layers", layers);
        positive("heads", heads);
        positive("width", width);
        if (width % heads != 0) {
            throw new IllegalArgumentException("the width (" + width + ") is split evenly among the heads (" + heads
                    + "), so it must be a multiple of them");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout is a probability in [0, 1), got " + dropout);
        }
    }
}
