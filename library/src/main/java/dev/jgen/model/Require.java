package dev.jgen.model;

/** The one check every builder, config record and sampling call shares, with one wording. */
public final class Require {
    private Require() {}

    /** {@code value}, or a one-sentence error naming {@code name} when it is below 1. */
    public static int positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
        return value;
    }
}
