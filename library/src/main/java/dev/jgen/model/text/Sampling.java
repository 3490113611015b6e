package dev.jgen.model.text;

/**
 * How a text model picks each next character: {@code Sampling.temperature(0.8).topK(10).maxChars(200)}.
 * Temperature below 1 makes text safer and more repetitive, above 1 wilder; 0 always takes the likeliest
 * character. Top-k draws only among the k likeliest.
 */
public final class Sampling {
    private final double temperature;
    private final int topK;
    private final int maxChars;

    private Sampling(double temperature, int topK, int maxChars) {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("the temperature must be 0 or more, got " + temperature);
        }
        if (topK < 0 || maxChars < 0) {
            throw new IllegalArgumentException("topK and maxChars must be at least 1 (0: no limit, the default), got " + topK
                    + " and " + maxChars);
        }
        this.temperature = temperature;
        this.topK = topK;
        this.maxChars = maxChars;
    }

    /** Temperature 1, every character, up to the model's default length. */
    public static Sampling defaults() {
        return new Sampling(1, 0, 0);
    }

    public static Sampling temperature(double temperature) {
        return new Sampling(temperature, 0, 0);
    }

    /** This sampling, drawing only among the {@code k} likeliest characters. */
    public Sampling topK(int k) {
        return new Sampling(temperature, k, maxChars);
    }

    /** This sampling, stopping after {@code n} new characters if the model has not ended the line before. */
    public Sampling maxChars(int n) {
        return new Sampling(temperature, topK, n);
    }

    public double temperature() {
        return temperature;
    }

    /** 0: every character. */
    public int topK() {
        return topK;
    }

    /** 0: the model's default. */
    public int maxChars() {
        return maxChars;
    }

    @Override
    public String toString() {
        return "temperature " + temperature + (topK > 0 ? ", top-" + topK : "") + (maxChars > 0 ? ", at most " + maxChars + " characters" : "");
    }
}
