package dev.jgen.model;

import ai.djl.ndarray.types.Shape;
import dev.jgen.display.Interactive;
import dev.jgen.display.Rendered;
import dev.jgen.plot.Samples;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Rows of decoded latent paths between pairs of examples. {@link #slerp()} redoes them along great
 * circles, which keeps Gaussian latents at a typical norm; {@link #linear()} along straight lines.
 */
public final class Interpolation extends Samples {
    public enum Kind { LINEAR, SLERP }

    private final Kind kind;
    private final int steps;
    private final Function<Kind, Interpolation> redo;

    public Interpolation(String title, float[] values, Shape shape, int steps, Kind kind, Function<Kind, Interpolation> redo) {
        super(title + " (" + kind.name().toLowerCase() + ")", values, shape, steps);
        this.kind = kind;
        this.steps = steps;
        this.redo = redo;
    }

    public Kind kind() {
        return kind;
    }

    public Interpolation slerp() {
        return kind == Kind.SLERP ? this : redo.apply(Kind.SLERP);
    }

    public Interpolation linear() {
        return kind == Kind.LINEAR ? this : redo.apply(Kind.LINEAR);
    }

    /**
     * A slider along the path showing one step at a time, and one choosing the row when there are several:
     * {@code vae.interpolate(test.take(2), 10).explore()} in a cell.
     */
    public Interactive explore() {
        int rows = size() / steps;
        int features = values().length / size();
        long[] dims = shape().getShape().clone();
        dims[0] = 1;
        Shape frame = new Shape(dims);
        List<Interactive.Slider> sliders = new ArrayList<>(List.of(new Interactive.Slider("step", 0, steps - 1, 1, 0)));
        if (rows > 1) {
            sliders.add(new Interactive.Slider("row", 0, rows - 1, 1, 0));
        }
        return new Interactive() {
            @Override
            public List<Slider> sliders() {
                return sliders;
            }

            @Override
            public Rendered view(double[] at) {
                int step = (int) Math.max(0, Math.min(steps - 1, Math.round(at[0])));
                int row = rows > 1 ? (int) Math.max(0, Math.min(rows - 1, Math.round(at[1]))) : 0;
                int index = row * steps + step;
                return new Samples("step " + (step + 1) + " of " + steps, Arrays.copyOfRange(values(), index * features, (index + 1) * features),
                        frame, 1).render();
            }

            @Override
            public String toString() {
                return "interpolation explorer: " + rows + " path" + (rows == 1 ? "" : "s") + " of " + steps + " steps (live in Jupyter Notebook)";
            }
        };
    }

    /**
     * {@code steps} points from {@code a} to {@code b} inclusive, flattened (steps x dim).
     * Slerp falls back to a straight line when the two are (anti)parallel.
     */
    public static float[] path(float[] a, float[] b, int steps, Kind kind) {
        requireSteps(steps);
        int dim = a.length;
        float[] out = new float[steps * dim];
        double na = norm(a);
        double nb = norm(b);
        double cos = 0;
        for (int i = 0; i < dim; i++) {
            cos += a[i] * b[i];
        }
        cos = na > 0 && nb > 0 ? Math.max(-1, Math.min(1, cos / (na * nb))) : 1;
        double omega = Math.acos(cos);
        boolean straight = kind == Kind.LINEAR || Math.sin(omega) < 1e-6;
        for (int s = 0; s < steps; s++) {
            double t = s / (double) (steps - 1);
            double wa = straight ? 1 - t : Math.sin((1 - t) * omega) / Math.sin(omega);
            double wb = straight ? t : Math.sin(t * omega) / Math.sin(omega);
            for (int i = 0; i < dim; i++) {
                out[s * dim + i] = (float) (wa * a[i] + wb * b[i]);
            }
        }
        return out;
    }

    /**
     * The paths between consecutive pairs of endpoints (rows 0-1, 2-3, ... of {@code ends}, each
     * {@code dim} long): pairs x steps points, flattened.
     */
    public static float[] paths(float[] ends, int dim, int steps, Kind kind) {
        int pairs = ends.length / (2 * dim);
        float[] out = new float[pairs * steps * dim];
        for (int p = 0; p < pairs; p++) {
            float[] a = Arrays.copyOfRange(ends, 2 * p * dim, (2 * p + 1) * dim);
            float[] b = Arrays.copyOfRange(ends, (2 * p + 1) * dim, (2 * p + 2) * dim);
            System.arraycopy(path(a, b, steps, kind), 0, out, p * steps * dim, steps * dim);
        }
        return out;
    }

    /** Fails with one sentence unless {@code steps} covers both endpoints. */
    public static void requireSteps(int steps) {
        if (steps < 2) {
            throw new IllegalArgumentException("an interpolation needs at least 2 steps (its two endpoints), got " + steps);
        }
    }

    /** How many endpoint pairs a data set holds (examples 0-1, 2-3, ...); at least one is required. */
    public static int pairsIn(dev.jgen.data.Dataset endpoints) {
        int pairs = endpoints.size() / 2;
        if (pairs == 0) {
            throw new IllegalArgumentException("interpolate needs at least 2 examples (pairs 0-1, 2-3, ...); got "
                    + endpoints.size() + ". Try test.take(2).");
        }
        return pairs;
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
