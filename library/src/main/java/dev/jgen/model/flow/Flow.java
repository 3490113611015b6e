package dev.jgen.model.flow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.initializer.ConstantInitializer;
import dev.jgen.data.Dataset;
import dev.jgen.model.Checkpoint;
import dev.jgen.model.Interpolation;
import dev.jgen.model.ModelBase;
import dev.jgen.model.Samples;
import dev.jgen.nn.Backend;
import dev.jgen.nn.Layers;
import dev.jgen.nn.Ops;
import dev.jgen.plot.Charts;
import dev.jgen.plot.Figure;
import dev.jgen.train.Adam;
import dev.jgen.train.Fit;
import dev.jgen.train.History;
import dev.jgen.train.TrainingLoop;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * RealNVP-style normalizing flow: an invertible map z = f(x) onto a standard normal, built from
 * activation normalisations and affine couplings with alternating masks (a checkerboard for images).
 * Each coupling keeps the masked half and scales-and-shifts the rest by networks of the kept half, so
 * its log-determinant is the sum of the log-scales. log p(x) = log N(f(x)) + log|det df/dx|, exactly.
 * Images are dequantised with uniform noise and mapped through a logit first; quality is reported in
 * bits per dimension.
 */
public final class Flow extends ModelBase {
    static final String FAMILY = "flow";
    /** Margin of the logit transform for images (RealNVP): pixels map into [ALPHA, 1 - ALPHA]. */
    private static final double ALPHA = 0.05;
    private static final int EVAL_BATCH = 500;
    private static final int DENSITY_GRID = 100;
    private static final double DENSITY_RANGE_NATS = 8;
    private static final double LEARNING_RATE = 1e-3;

    private final int couplings;
    private final int hidden;
    private final List<ActNorm> norms = new ArrayList<>();
    private final List<SequentialBlock> conditioners = new ArrayList<>();
    private final List<NDArray> masks = new ArrayList<>();
    private double[] bounds;
    private boolean initialised;

    Flow(int couplings, int hidden) {
        super(FAMILY, "Flow", new Adam());
        this.couplings = couplings;
        this.hidden = hidden;
    }

    // ---------------------------------------------------------------- networks

    @Override
    protected void build() {
        int d = features();
        for (int k = 0; k < couplings; k++) {
            ActNorm norm = new ActNorm(d);
            norm.initialize(manager, DataType.FLOAT32, new Shape(1, d));
            norms.add(norm);
            SequentialBlock conditioner = Layers.mlp(new int[] {hidden, hidden}, 2 * d);
            // The last layer starts at zero, so every coupling starts as the identity: stable from step one.
            conditioner.getChildren().get(conditioner.getChildren().size() - 1).getValue()
                    .setInitializer(new ConstantInitializer(0f), Parameter.Type.WEIGHT);
            conditioner.initialize(manager, DataType.FLOAT32, new Shape(1, d));
            conditioners.add(conditioner);
            masks.add(manager.create(mask(k, d), new Shape(d)));
        }
    }

    /** Which features coupling k keeps: a checkerboard for images, alternating halves for vectors. */
    private float[] mask(int k, int d) {
        float[] mask = new float[d];
        for (int i = 0; i < d; i++) {
            boolean kept;
            if (images) {
                int width = (int) exampleShape[2];
                int row = (i / width) % (int) exampleShape[1];
                kept = ((row + i % width) % 2 == 0) == (k % 2 == 0);
            } else {
                kept = (i < (d + 1) / 2) == (k % 2 == 0);
            }
            mask[i] = kept ? 1f : 0f;
        }
        return mask;
    }

    @Override
    protected Map<String, Block> networks() {
        Map<String, Block> networks = new LinkedHashMap<>();
        for (int k = 0; k < couplings; k++) {
            networks.put("actnorm" + k, norms.get(k));
            networks.put("coupling" + k, conditioners.get(k));
        }
        return networks;
    }

    /** (log-scale, shift) of coupling k for input x, zero on the features it keeps. */
    private NDArray[] scaleAndShift(int k, NDArray x, boolean training) {
        NDArray mask = masks.get(k);
        NDArray free = Ops.scalar(x.getManager(), 1).sub(mask);
        NDList st = conditioners.get(k).forward(parameters, new NDList(x.mul(mask)), training).singletonOrThrow().split(2, 1);
        // tanh keeps every scale within e^±1 per layer, so no initialisation can start with a blow-up.
        return new NDArray[] {st.get(0).tanh().mul(free), st.get(1).mul(free)};
    }

    /** z = f(y) for flat inputs (B, D), and log|det df/dy| per example. */
    private NDArray[] forward(NDArray y, boolean training) {
        NDArray z = y;
        NDArray logDet = y.getManager().zeros(new Shape(y.getShape().get(0)));
        for (int k = 0; k < couplings; k++) {
            ActNorm norm = norms.get(k);
            z = norm.forward(z);
            logDet = logDet.add(norm.logDet(z));
            NDArray[] st = scaleAndShift(k, z, training);
            z = z.mul(st[0].exp()).add(st[1]);
            logDet = logDet.add(st[0].sum(new int[] {1}));
        }
        return new NDArray[] {z, logDet};
    }

    /** y = f^-1(z), flat (B, D). */
    private NDArray inverse(NDArray z) {
        NDArray y = z;
        for (int k = couplings - 1; k >= 0; k--) {
            NDArray[] st = scaleAndShift(k, y, false);
            y = y.sub(st[1]).mul(st[0].neg().exp());
            y = norms.get(k).inverse(y);
        }
        return y;
    }

    /** log N(z; 0, I) per example. */
    private static NDArray standardNormalLogDensity(NDArray z) {
        NDManager m = z.getManager();
        return z.square().add(Ops.scalar(m, Math.log(2 * Math.PI))).mul(Ops.scalar(m, -0.5)).sum(new int[] {1});
    }

    /**
     * Images into the flow's space: optionally dequantised ((255 x + u) / 256, u uniform), then
     * y = logit(ALPHA + (1 - 2 ALPHA) x). Returns y and log|dy/dx| per example; points pass unchanged.
     */
    private NDArray[] toFlowSpace(NDArray x, boolean dequantise) {
        NDManager m = x.getManager();
        NDArray flat = x.reshape(x.getShape().get(0), -1);
        if (!images) {
            return new NDArray[] {flat, m.zeros(new Shape(flat.getShape().get(0)))};
        }
        if (dequantise) {
            flat = flat.mul(Ops.scalar(m, 255)).add(m.randomUniform(0f, 1f, flat.getShape())).div(Ops.scalar(m, 256));
        }
        NDArray p = flat.mul(Ops.scalar(m, 1 - 2 * ALPHA)).add(Ops.scalar(m, ALPHA));
        NDArray oneMinusP = Ops.scalar(m, 1).sub(p);
        NDArray y = p.log().sub(oneMinusP.log());
        NDArray logDet = p.log().add(oneMinusP.log()).neg().add(Ops.scalar(m, Math.log(1 - 2 * ALPHA))).sum(new int[] {1});
        return new NDArray[] {y, logDet};
    }

    /** Back from the flow's space to data: points unchanged, images through the inverse logit, clipped to [0, 1]. */
    private NDArray fromFlowSpace(NDArray y) {
        if (!images) {
            return y;
        }
        NDManager m = y.getManager();
        NDArray p = y.getNDArrayInternal().sigmoid();
        NDArray x = p.sub(Ops.scalar(m, ALPHA)).div(Ops.scalar(m, 1 - 2 * ALPHA));
        return Ops.clamp(x, 0, 1, m).reshape(shapeOf(y.getShape().get(0)));
    }

    /** Exact log-density per example of x (B, example shape); images without dequantisation noise. */
    private NDArray logDensity(NDArray x, boolean dequantise, boolean training) {
        NDArray[] pre = toFlowSpace(x, dequantise);
        NDArray[] zAndLogDet = forward(pre[0], training);
        return standardNormalLogDensity(zAndLogDet[0]).add(zAndLogDet[1]).add(pre[1]);
    }

    // ---------------------------------------------------------------- training

    @Override
    public History fit(Dataset data, Fit fit) {
        requireCompatible(data);
        if (!images && bounds == null) {
            bounds = boundsOf(data);
        }
        int features = features();
        TrainingLoop.Step step = (m, x, labels) -> {
            initialiseNorms(x);
            Map<String, Double> metrics = new LinkedHashMap<>();
            try (GradientCollector collector = Backend.engine().newGradientCollector()) {
                NDArray nll = logDensity(x.toDevice(device(), false), images, true).neg().mean();
                double loss = nll.getFloat();
                metrics.put("loss", loss);
                if (images) {
                    metrics.put("bpd", bitsPerDim(loss, features));
                }
                if (!Double.isFinite(loss)) {
                    return metrics;
                }
                collector.backward(nll);
            }
            networks().forEach((name, block) -> adam.update(name, block.getParameters(), fit.learningRateOr(LEARNING_RATE)));
            return metrics;
        };
        try {
            return (images ? trainingLoop("loss", "bpd") : trainingLoop("loss")).probe(this::probeSamples).run(data, fit, step);
        } finally {
            Backend.inferenceMode();
        }
    }

    /**
     * Data-dependent initialisation of every activation normalisation from the first batch, layer by
     * layer, outside gradient recording (it writes the parameters in place).
     */
    private void initialiseNorms(NDArray batch) {
        if (initialised) {
            return;
        }
        Backend.inferenceMode();
        NDArray z = toFlowSpace(batch, images)[0];
        for (int k = 0; k < couplings; k++) {
            norms.get(k).initialiseFrom(z);
            z = norms.get(k).forward(z);
            NDArray[] st = scaleAndShift(k, z, false);
            z = z.mul(st[0].exp()).add(st[1]);
        }
        initialised = true;
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

    private Samples probeSamples() {
        Backend.inferenceMode();
        int n = images ? 16 : 500;
        try (NDManager m = manager.newSubManager()) {
            NDArray z = m.create(probeLatents(n, features()), new Shape(n, features()));
            return new Samples("Flow probe", fromFlowSpace(inverse(z)).toFloatArray(), samplesShape(n), Samples.squareColumns(n));
        }
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
        return meanOver(data, false) ;
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
            return copyInto(forward(toFlowSpace(copyInto(x, m), false)[0], false)[0], x.getManager());
        }
    }

    /** x = f^-1(z) for base points z (B, D), shaped like the data. */
    public NDArray decode(NDArray z) {
        requireTrained("decode");
        Backend.inferenceMode();
        try (NDManager m = manager.newSubManager()) {
            return copyInto(fromFlowSpace(inverse(copyInto(z, m))), z.getManager());
        }
    }

    /** log|det dz/dx| of the whole map for each example of x (for checking against a numerical Jacobian). */
    public NDArray logDetJacobian(NDArray x) {
        requireTrained("logDetJacobian");
        Backend.inferenceMode();
        try (NDManager m = manager.newSubManager()) {
            NDArray[] pre = toFlowSpace(copyInto(x, m), false);
            return copyInto(forward(pre[0], false)[1].add(pre[1]), x.getManager());
        }
    }

    @Override
    public Samples sample(int n) {
        requireTrained("sample");
        requirePositive("sample(n): n", n);
        Backend.inferenceMode();
        try (NDManager m = manager.newSubManager()) {
            NDArray z = m.randomNormal(new Shape(n, features()));
            return new Samples("Flow samples", fromFlowSpace(inverse(z)).toFloatArray(), samplesShape(n), Samples.squareColumns(n));
        }
    }

    @Override
    public Interpolation interpolate(Dataset endpoints, int steps) {
        return interpolate(endpoints, steps, Interpolation.Kind.LINEAR);
    }

    private Interpolation interpolate(Dataset endpoints, int steps, Interpolation.Kind kind) {
        requireTrained(endpoints, "interpolate");
        int pairs = Interpolation.pairsIn(endpoints);
        Backend.inferenceMode();
        int d = features();
        try (NDManager m = manager.newSubManager()) {
            float[] z = forward(toFlowSpace(endpoints.batch(m, 0, 2 * pairs, null), false)[0], false)[0].toFloatArray();
            float[] path = Interpolation.paths(z, d, steps, kind);
            NDArray x = fromFlowSpace(inverse(m.create(path, new Shape((long) pairs * steps, d))));
            return new Interpolation("Flow interpolation in the base space", x.toFloatArray(), samplesShape((long) pairs * steps),
                    steps, kind, other -> interpolate(endpoints, steps, other));
        }
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
        requirePositive("densityGrid(n): n", n);
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
    protected Properties config() {
        Properties props = new Properties();
        props.setProperty("couplings", String.valueOf(couplings));
        props.setProperty("hidden", String.valueOf(hidden));
        if (bounds != null) {
            props.setProperty("bounds", Arrays.toString(bounds).replaceAll("[\\[\\] ]", ""));
        }
        return props;
    }

    /** Rebuilds a flow written by {@code save}. */
    public static Flow load(Path dir, Properties props) {
        Flow flow = new Flow(Checkpoint.intProperty(dir, props, "couplings"), Checkpoint.intProperty(dir, props, "hidden"));
        if (props.getProperty("bounds") != null) {
            flow.bounds = Arrays.stream(props.getProperty("bounds").split(",")).mapToDouble(Double::parseDouble).toArray();
        }
        flow.restore(dir, props);
        flow.initialised = true;
        return flow;
    }

    @Override
    public String toString() {
        return String.format("Flow (RealNVP, %d affine couplings with activation normalisation, hidden %d), %s, device %s",
                couplings, hidden, state(), device());
    }
}
