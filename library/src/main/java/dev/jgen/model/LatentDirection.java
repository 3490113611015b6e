package dev.jgen.model;

import java.util.Arrays;

/**
 * A direction in a model's latent space that changes one attribute of what it decodes, e.g. from sneakers
 * to ankle boots: {@code vae.direction(sneakers, boots)}. Scale it with {@link #times}, combine with {@link #plus}.
 */
public record LatentDirection(String name, float[] vector) {
    public LatentDirection {
        vector = vector.clone();
    }

    /** The difference of the mean latent of {@code to} and of {@code from} ((N, latent) rows each, flat). */
    public static LatentDirection between(String name, float[] fromLatents, float[] toLatents, int latent) {
        float[] from = mean(fromLatents, latent);
        float[] to = mean(toLatents, latent);
        float[] difference = new float[latent];
        for (int i = 0; i < latent; i++) {
            difference[i] = to[i] - from[i];
        }
        return new LatentDirection(name, difference);
    }

    @Override
    public float[] vector() {
        return vector.clone();
    }

    public int size() {
        return vector.length;
    }

    public LatentDirection times(double factor) {
        float[] scaled = vector.clone();
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] *= (float) factor;
        }
        return new LatentDirection(factor + " x " + name, scaled);
    }

    public LatentDirection plus(LatentDirection other) {
        if (other.size() != size()) {
            throw new IllegalArgumentException("directions of " + size() + " and " + other.size() + " latent features cannot be added");
        }
        float[] sum = vector.clone();
        for (int i = 0; i < sum.length; i++) {
            sum[i] += other.vector[i];
        }
        return new LatentDirection(name + " + " + other.name, sum);
    }

    /** Its Euclidean length. */
    public double norm() {
        double squares = 0;
        for (float v : vector) {
            squares += v * v;
        }
        return Math.sqrt(squares);
    }

    private static float[] mean(float[] rows, int latent) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("a direction needs at least one example on each side");
        }
        float[] mean = new float[latent];
        int n = rows.length / latent;
        for (int i = 0; i < rows.length; i++) {
            mean[i % latent] += rows[i] / n;
        }
        return mean;
    }

    @Override
    public String toString() {
        return String.format("LatentDirection %s (%d features, length %.3f)", name, vector.length, norm());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LatentDirection d && d.name.equals(name) && Arrays.equals(d.vector, vector);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(vector);
    }
}
