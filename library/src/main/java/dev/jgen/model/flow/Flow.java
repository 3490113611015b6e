package dev.jgen.model.flow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.jgen.data.Dataset;
import dev.jgen.model.Checkpoint;
import dev.jgen.model.Interpolation;
import dev.jgen.model.LatentModel;
import dev.jgen.model.ModelBase;
import dev.jgen.nn.Backend;
import dev.jgen.nn.Ops;
import dev.jgen.plot.Charts;
import dev.jgen.plot.Figure;
import dev.jgen.plot.Samples;
import dev.jgen.train.Adam;
import dev.jgen.train.Terms;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.jgen.model.Require.positive;

/**
 * RealNVP-style normalizing flow: an invertible map z = f(x) onto a standard normal, built from
 * activation normalisations and affine couplings with alternating masks (a checkerboard for images).
 * Each coupling keeps the masked half and scales-and-shifts the rest by networks of the kept half, so
 * its log-determinant is the sum of the log-scales. log p(x) = log N(f(x)) + log|det df/dx|, exactly.
 * Images are dequantised with uniform noise and mapped through a logit first; quality is reported in
 * bits per dimension.
 */
public final class Flow extends ModelBase implements LatentModel {
    static final String FAMILY = "flow";
    private static final int EVAL_BATCH = 500;
    private static final int DENSITY_GRID = 100;
    private static final double DENSITY_RANGE_NATS = 8;
    private static final double LEARNING_RATE = 1e-3;

    /** The points' bounding box (x min, x max, y min, y max) for density plots; null for images. */
    record FromData(double[] bounds) {}

    private final int couplings;
    private final int hidden;
    private Couplings stack;
    private double[] bounds;
    private boolean initialised;

    Flow(FlowConfig config) {
        super(FAMILY, "Flow", new Adam());
        this.couplings = config.couplings();
        this.hidden = config.hidden();
    }

    // ---------------------------------------------------------------- networks

    @Override
    protected void build() {
        stack = new Couplings(manager, parameters, exampleShape, couplings, hidden);
    }

    @Override
    public Map<String, Block> networks() {
        return stack.networks();
    }

    /** log N(z; 0, I) per example. */
    private static NDArray standardNormalLogDensity(NDArray z) {
        NDManager m = z.getManager();
        return z.square().add(Ops.scalar(m, Math.log(2 * Math.PI))).mul(Ops.scalar(m, -0.5)).sum(new int[] {1});
    }

    /** x (B, example shape) as flat rows in the flow's space, and log|d(that)/dx| per example. */
    private NDArray[] toFlowSpace(NDArray x, boolean dequantise) {
        NDArray flat = x.reshape(x.getShape().get(0), -1);
        return images ? LogitSpace.into(flat, dequantise) : new NDArray[] {flat, x.getManager().zeros(new Shape(flat.getShape().get(0)))};
    }

    private NDArray fromFlowSpace(NDArray y) {
        return images ? LogitSpace.outOf(y, shapeOf(y.getShape().get(0))) : y;
    }

    /** Exact log-density per example of x (B, example shape); images without dequantisation noise. */
    private NDArray logDensity(NDArray x, boolean dequantise, boolean training) {
        NDArray[] pre = toFlowSpace(x, dequantise);
        NDArray[] zAndLogDet = stack.forward(pre[0], training);
        return standardNormalLogDensity(zAndLogDet[0]).add(zAndLogDet[1]).add(pre[1]);
    }

    // ---------------------------------------------------------------- training

    /**
     * The negative log-likelihood of a batch x (B, example shape) in nats per example ("loss"); for images,
     * of its dequantised version, with bits per dimension ("bpd") beside it. The first batch a flow sees
     * also initialises its activation norms.
     */
    public Terms objective(NDArray x) {
        if (!initialised) {
            Backend.withoutGradients(() -> stack.initialiseFrom(toFlowSpace(x, images)[0]));
            initialised = true;
        }
        NDArray nll = logDensity(x, images, true).neg().mean();
        Terms terms = Terms.loss("loss", nll);
        if (images) {
            int features = features();
            NDManager m = x.getManager();
            terms.and("bpd", nll.add(Ops.scalar(m, features * Math.log(256))).div(Ops.scalar(m, features * Math.log(2))));
        }
        return terms;
    }

    @Override
    protected Map<String, Double> trainingStep(NDArray x, NDArray labels, double learningRate) {
        return adam.minimise(() -> objective(x), networks(), learningRate);
    }

    @Override
    protected List<String> metrics() {
        return images ? List.of("loss", "bpd") : List.of("loss");
    }

    @Override
    protected double defaultLearningRate() {
        return LEARNING_RATE;
    }

    @Override
    protected void beforeBuild(Dataset data) {
        if (!data.isImage()) {
            bounds = boundsOf(data);
        }
    }

    /** Bits per dimension of 8-bit data from the negative log-density (nats) of its dequantised version. */
    private static double bitsPerDim(double nll, int features) {
        return (nll + features * Math.log(256)) / (features * Math.log(2));
    }

    private static double[] boundsOf(Dataset data) {
        float[] xy = data.toFloatArray();
        double[] b = {Double.MAX_VALUE, -Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE};
        for (int i = 0; i + 1 < xy.length; i += 2) {
            b[0] = Math.min(b[0], xy[i]);
            b[1] = Math.max(b[1], xy[i]);
            b[2] = Math.min(b[2], xy[i + 1]);
            b[3] = Math.max(b[3], xy[i + 1]);
        }
        return b;
    }

    @Override
    protected Samples probeSamples() {
        return decodeLatents("Flow probe", images ? 16 : 500, features(), true, z -> fromFlowSpace(stack.inverse(z)));
    }

    // ---------------------------------------------------------------- inference

    /** Exact log-density of each example of x (B, example shape), in x's manager. */
    public NDArray logProb(NDArray x) {
        requireTrained("logProb");
        Backend.inferenceMode();
        try (NDManager m = manager.newSubManager()) {
            return copyInto(logDensity(copyInto(x, m), false, false), x.getManager());
        }
    }

    /** Mean log-density over a data set (nats per example). */
    public double logProb(Dataset data) {
        requireTrained(data, "logProb");
        return meanOver(data, false);
    }

    /** Bits per dimension of 8-bit images under the flow (one dequantisation sample per image). */
    public double bitsPerDim(Dataset data) {
        requireTrained(data, "bitsPerDim");
        if (!images) {
            throw new IllegalStateException("bits per dimension are for 8-bit images; for points use logProb(data)");
        }
        return bitsPerDim(-meanOver(data, true), features());
    }

    private double meanOver(Dataset data, boolean dequantise) {
        Backend.inferenceMode();
        double sum = 0;
        for (int from = 0; from < data.size(); from += EVAL_BATCH) {
            int to = Math.min(data.size(), from + EVAL_BATCH);
            try (NDManager m = manager.newSubManager()) {
                sum += logDensity(data.batch(m, from, to, null).toDevice(device(), false), dequantise, false).sum().getFloat();
            }
        }
        return sum / data.size();
    }

    /** z = f(x) for x (B, example shape): the point in the standard-normal base space, (B, D). */
    public NDArray encode(NDArray x) {
        requireTrained("encode");
        Backend.inferenceMode();
        try (NDManager m = manager.newSubManager()) {
            return copyInto(stack.forward(toFlowSpace(copyInto(x, m), false)[0], false)[0], x.getManager());
        }
    }

    /** x = f^-1(z) for base points z (B, D), shaped like the data. */
    public NDArray decode(NDArray z) {
        requireTrained("decode");
        Backend.inferenceMode();
        try (NDManager m = manager.newSubManager()) {
            return copyInto(fromFlowSpace(stack.inverse(copyInto(z, m))), z.getManager());
        }
    }

    /** log|det dz/dx| of the whole map for each example of x (for checking against a numerical Jacobian). */
    public NDArray logDetJacobian(NDArray x) {
        requireTrained("logDetJacobian");
        Backend.inferenceMode();
        try (NDManager m = manager.newSubManager()) {
            NDArray[] pre = toFlowSpace(copyInto(x, m), false);
            return copyInto(stack.forward(pre[0], false)[1].add(pre[1]), x.getManager());
        }
    }

    @Override
    public Samples sample(int n) {
        requireTrained("sample");
        positive("sample(n): n", n);
        return decodeLatents("Flow samples", n, features(), false, z -> fromFlowSpace(stack.inverse(z)));
    }

    @Override
    public Interpolation interpolate(Dataset endpoints, int steps) {
        return walkThroughLatents("Flow interpolation in the base space", endpoints, steps, Interpolation.Kind.LINEAR, features(),
                x -> stack.forward(toFlowSpace(x, false)[0], false)[0], z -> fromFlowSpace(stack.inverse(z)));
    }

    /** The learned log-density as a heatmap over the training data's range (2-D data only). */
    public Figure density() {
        requireTrained("density");
        if (images || features() != 2) {
            throw new IllegalStateException("density() draws 2-D data; this flow models examples of shape " + new Shape(exampleShape));
        }
        double[][] grid = densityGrid(DENSITY_GRID);
        double[][] values = Arrays.copyOfRange(grid, 2, grid.length);
        // Far from the data the log-density plunges to -hundreds; the colours are for the top few nats.
        double top = Arrays.stream(values).flatMapToDouble(Arrays::stream).max().orElse(0);
        for (double[] row : values) {
            for (int c = 0; c < row.length; c++) {
                row[c] = Math.max(row[c], top - DENSITY_RANGE_NATS);
            }
        }
        return Charts.heatmap("log-density (clipped " + (int) DENSITY_RANGE_NATS + " nats below its peak)", grid[0], grid[1], values);
    }

    /**
     * Log-density on an n x n grid over the data's range plus a margin: rows 0 and 1 hold the x and y
     * cell centres, rows 2.. the values (one row per y).
     */
    public double[][] densityGrid(int n) {
        requireTrained("densityGrid");
        positive("densityGrid(n): n", n);
        double marginX = 0.25 * (bounds[1] - bounds[0]);
        double marginY = 0.25 * (bounds[3] - bounds[2]);
        double[] xs = new double[n];
        double[] ys = new double[n];
        float[] points = new float[2 * n * n];
        for (int i = 0; i < n; i++) {
            xs[i] = bounds[0] - marginX + (bounds[1] - bounds[0] + 2 * marginX) * (i + 0.5) / n;
            ys[i] = bounds[2] - marginY + (bounds[3] - bounds[2] + 2 * marginY) * (i + 0.5) / n;
        }
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                points[2 * (r * n + c)] = (float) xs[c];
                points[2 * (r * n + c) + 1] = (float) ys[r];
            }
        }
        Backend.inferenceMode();
        double[][] out = new double[n + 2][];
        out[0] = xs;
        out[1] = ys;
        try (NDManager m = manager.newSubManager()) {
            float[] logp = logDensity(m.create(points, new Shape((long) n * n, 2)), false, false).toFloatArray();
            for (int r = 0; r < n; r++) {
                out[r + 2] = new double[n];
                for (int c = 0; c < n; c++) {
                    out[r + 2][c] = logp[r * n + c];
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- persistence and display

    @Override
    protected FlowConfig config() {
        return new FlowConfig(couplings, hidden);
    }

    @Override
    protected FromData fromData() {
        return new FromData(bounds);
    }

    /** Rebuilds a flow written by {@code save}, ready to sample or to continue training. */
    public static Flow load(Path dir) {
        Checkpoint.Saved saved = Checkpoint.read(dir, FAMILY);
        Flow flow = new Flow(saved.config(FlowConfig.class));
        flow.bounds = saved.fromData(FromData.class).bounds();
        flow.restore(saved);
        flow.initialised = true;
        return flow;
    }

    @Override
    public String toString() {
        return String.format("Flow (RealNVP, %d affine couplings with activation normalisation, hidden %d), %s, device %s",
                couplings, hidden, state(), device());
    }
}
