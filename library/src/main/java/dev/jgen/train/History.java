package dev.jgen.train;

import dev.jgen.Internal;
import dev.jgen.display.Renderable;
import dev.jgen.display.Rendered;
import dev.jgen.plot.Charts;
import dev.jgen.plot.Figure;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every training step's metrics, and their means per epoch. A model keeps one History across all
 * its {@code fit} calls; an interrupted or failed fit leaves every finished step in it.
 */
public final class History implements Renderable {
    private static final int MAX_CHART_POINTS = 600;
    private static final String DATA_SECONDS = "data seconds";

    private final String title;
    private final List<String> metrics = new ArrayList<>();
    private final Map<String, double[]> stepValues = new LinkedHashMap<>();
    private int[] stepEpochs = new int[64];
    private int steps;
    private final List<Double> epochSeconds = new ArrayList<>();
    private final List<Double> epochDataSeconds = new ArrayList<>();
    private int epochsDone;

    public History(String title) {
        this.title = title;
    }

    synchronized void record(int epoch, Map<String, Double> values) {
        if (steps == stepEpochs.length) {
            stepEpochs = Arrays.copyOf(stepEpochs, steps * 2);
            stepValues.replaceAll((k, v) -> grown(v, steps * 2));
        }
        for (Map.Entry<String, Double> e : values.entrySet()) {
            columnFor(e.getKey())[steps] = e.getValue();
        }
        stepEpochs[steps] = epoch;
        steps++;
    }

    /** Metrics measured once at the end of an epoch (e.g. FCD), stored at its last step; other steps hold NaN. */
    synchronized void recordAtLastStep(Map<String, Double> values) {
        if (steps == 0) {
            return;
        }
        for (Map.Entry<String, Double> e : values.entrySet()) {
            columnFor(e.getKey())[steps - 1] = e.getValue();
        }
    }

    /** The metric's column, added (all NaN) the first time the metric is reported. */
    private double[] columnFor(String name) {
        return stepValues.computeIfAbsent(name, n -> {
            metrics.add(n);
            return grown(new double[0], stepEpochs.length);
        });
    }

    /** Copies into a longer array; steps that did not report a metric hold NaN. */
    private static double[] grown(double[] values, int length) {
        double[] out = Arrays.copyOf(values, length);
        Arrays.fill(out, values.length, length, Double.NaN);
        return out;
    }

    synchronized void endEpoch(double seconds, double dataSeconds) {
        epochSeconds.add(seconds);
        epochDataSeconds.add(dataSeconds);
        epochsDone++;
    }

    /** Index of the epoch the next step belongs to (epochs continue across fit calls). */
    synchronized int nextEpoch() {
        return epochsDone;
    }

    public synchronized int steps() {
        return steps;
    }

    /** Completed epochs. */
    public synchronized int epochs() {
        return epochsDone;
    }

    public synchronized List<String> metrics() {
        return List.copyOf(metrics);
    }

    /** The metric at every step. */
    public synchronized double[] metric(String name) {
        return Arrays.copyOf(column(name), steps);
    }

    /** The metric's mean over each completed epoch. */
    public synchronized double[] epochMetric(String name) {
        double[] values = column(name);
        double[] sums = new double[epochsDone];
        int[] counts = new int[epochsDone];
        for (int i = 0; i < steps; i++) {
            int e = stepEpochs[i];
            if (e < epochsDone && !Double.isNaN(values[i])) {
                sums[e] += values[i];
                counts[e]++;
            }
        }
        for (int e = 0; e < epochsDone; e++) {
            sums[e] = counts[e] == 0 ? Double.NaN : sums[e] / counts[e];
        }
        return sums;
    }

    /** The metric's mean over the last completed epoch. */
    public double lastEpoch(String name) {
        double[] means = epochMetric(name);
        if (means.length == 0) {
            throw new IllegalStateException("no epoch has finished yet; metric(\"" + name + "\") has the steps done");
        }
        return means[means.length - 1];
    }

    /** Seconds each completed epoch took. */
    public synchronized double[] epochSeconds() {
        return epochSeconds.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * Seconds of each completed epoch spent getting batches (copying them out of the data set into
     * tensors) rather than training on them; NaN for epochs read from a checkpoint that did not record it.
     */
    public synchronized double[] epochDataSeconds() {
        return epochDataSeconds.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private double[] column(String name) {
        double[] values = stepValues.get(name);
        if (values == null) {
            throw new IllegalArgumentException("no metric '" + name + "' in this history; it has " + metrics);
        }
        return values;
    }

    /** Writes every step (and each epoch's seconds and data seconds) as CSV, for a checkpoint. */
    @Internal
    public synchronized void write(Path stepsCsv, Path epochsCsv) {
        table().write().csv(stepsCsv.toFile());
        Table epochs = Table.create("epochs", DoubleColumn.create("seconds", epochSeconds()),
                DoubleColumn.create(DATA_SECONDS, epochDataSeconds()));
        epochs.write().csv(epochsCsv.toFile());
    }

    /** Appends the steps and epochs that {@link #write} wrote. */
    @Internal
    public synchronized void read(Path stepsCsv, Path epochsCsv) {
        Table steps = Table.read().csv(stepsCsv.toFile());
        if (steps.rowCount() == 0) {
            return;
        }
        List<String> names = steps.columnNames().stream().filter(n -> !n.equals("step") && !n.equals("epoch")).toList();
        for (int r = 0; r < steps.rowCount(); r++) {
            Map<String, Double> values = new LinkedHashMap<>();
            for (String n : names) {
                values.put(n, steps.numberColumn(n).getDouble(r));
            }
            record((int) steps.numberColumn("epoch").getDouble(r), values);
        }
        Table epochs = Table.read().csv(epochsCsv.toFile());
        boolean hasDataSeconds = epochs.containsColumn(DATA_SECONDS);
        for (int r = 0; r < epochs.rowCount(); r++) {
            endEpoch(epochs.numberColumn("seconds").getDouble(r),
                    hasDataSeconds ? epochs.numberColumn(DATA_SECONDS).getDouble(r) : Double.NaN);
        }
    }

    /** One row per step: step, epoch and every metric. */
    public synchronized Table table() {
        Table table = Table.create(title);
        int[] stepIndex = new int[steps];
        for (int i = 0; i < steps; i++) {
            stepIndex[i] = i + 1;
        }
        table.addColumns(IntColumn.create("step", stepIndex), IntColumn.create("epoch", Arrays.copyOf(stepEpochs, steps)));
        for (String m : metrics) {
            table.addColumns(DoubleColumn.create(m, metric(m)));
        }
        return table;
    }

    /** One row per completed epoch: the mean of every metric and the epoch's seconds. */
    public synchronized Table epochTable() {
        Table table = Table.create(title + " per epoch");
        int[] index = new int[epochsDone];
        for (int e = 0; e < epochsDone; e++) {
            index[e] = e;
        }
        table.addColumns(IntColumn.create("epoch", index));
        for (String m : metrics) {
            table.addColumns(DoubleColumn.create(m, epochMetric(m)));
        }
        table.addColumns(DoubleColumn.create("seconds", epochSeconds()));
        return table;
    }

    /** Every metric against the step, averaged into at most a few hundred points so curves stay readable. */
    public synchronized Figure chart() {
        Map<String, double[][]> series = new LinkedHashMap<>();
        int bucket = Math.max(1, (steps + MAX_CHART_POINTS - 1) / MAX_CHART_POINTS);
        for (String m : metrics) {
            double[] values = column(m);
            int points = (steps + bucket - 1) / bucket;
            double[] xs = new double[points];
            double[] ys = new double[points];
            for (int p = 0; p < points; p++) {
                int from = p * bucket;
                int to = Math.min(steps, from + bucket);
                double sum = 0;
                int counted = 0;
                for (int i = from; i < to; i++) {
                    if (!Double.isNaN(values[i])) {
                        sum += values[i];
                        counted++;
                    }
                }
                xs[p] = (from + to + 1) / 2.0;
                ys[p] = counted == 0 ? Double.NaN : sum / counted;
            }
            series.put(m, withoutGaps(xs, ys));
        }
        if (series.isEmpty()) {
            series.put("no steps yet", new double[][] {{0}, {0}});
        }
        return Charts.lines(title, "step", "value", series);
    }

    /** The points whose value is a number: metrics measured now and then (FCD per epoch) leave the rest empty. */
    private static double[][] withoutGaps(double[] xs, double[] ys) {
        int n = 0;
        for (double y : ys) {
            n += Double.isNaN(y) ? 0 : 1;
        }
        double[][] kept = {new double[n], new double[n]};
        for (int i = 0, k = 0; i < ys.length; i++) {
            if (!Double.isNaN(ys[i])) {
                kept[0][k] = xs[i];
                kept[1][k++] = ys[i];
            }
        }
        return kept;
    }

    @Override
    public Rendered render() {
        return Rendered.png(chart().png(), toString());
    }

    @Override
    public synchronized String toString() {
        StringBuilder sb = new StringBuilder(String.format("History %s: %d steps, %d epochs", title, steps, epochsDone));
        if (steps > 0) {
            sb.append("; last step");
            for (String m : metrics) {
                sb.append(String.format(" %s=%.4g", m, stepValues.get(m)[steps - 1]));
            }
        }
        return sb.toString();
    }
}
