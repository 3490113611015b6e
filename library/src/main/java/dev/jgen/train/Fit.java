package dev.jgen.train;

import dev.jgen.Internal;
import dev.jgen.data.Dataset;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How to train: one immutable options value shared by every model family.
 * {@code Fit.epochs(3).batchSize(128).lr(1e-3)}; every wither returns a new value.
 */
public final class Fit {
    private final int epochs;
    private final int batchSize;
    private final double lr;
    private final long stepLimit;
    private final boolean progress;
    private final Checkpoints checkpoints;
    private final List<TrainingListener> listeners;
    private final Evaluation evaluation;

    /** Where and how often to save during training; {@code bestBy} may be null. */
    record Checkpoints(Path dir, int everyEpochs, String bestBy) {
        static final Checkpoints NONE = new Checkpoints(null, 0, null);
    }

    /** Which data the model's samples are measured against, and every how many epochs; data null for none. */
    record Evaluation(int everyEpochs, Dataset data) {
        static final Evaluation NONE = new Evaluation(0, null);
    }

    private Fit(int epochs, int batchSize, double lr, long stepLimit, boolean progress) {
        this(epochs, batchSize, lr, stepLimit, progress, Checkpoints.NONE, List.of(), Evaluation.NONE);
    }

    private Fit(int epochs, int batchSize, double lr, long stepLimit, boolean progress, Checkpoints checkpoints,
                List<TrainingListener> listeners, Evaluation evaluation) {
        if (epochs < 1) {
            throw new IllegalArgumentException("Fit needs at least 1 epoch, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("the batch size must be at least 1, got " + batchSize);
        }
        if (!Double.isNaN(lr) && (!(lr > 0) || Double.isInfinite(lr))) {
            throw new IllegalArgumentException("the learning rate must be a positive number, got " + lr);
        }
        if (stepLimit < 0) {
            throw new IllegalArgumentException("the step limit must be 0 (none) or more, got " + stepLimit);
        }
        this.epochs = epochs;
        this.batchSize = batchSize;
        this.lr = lr;
        this.stepLimit = stepLimit;
        this.progress = progress;
        this.checkpoints = checkpoints;
        this.listeners = List.copyOf(listeners);
        this.evaluation = evaluation;
    }

    /**
     * Each family's own learning rate unless one is given: 1e-3 for VAEs, flows, and GANs and diffusion models
     * on points; 2e-3 for the DCGAN and the diffusion U-Net on images; 2e-4 for a spectrally normalised GAN.
     */
    private static final double FAMILY_DEFAULT = Double.NaN;

    /** One epoch, batch 128, the family's learning rate, with live progress. */
    public static Fit defaults() {
        return new Fit(1, 128, FAMILY_DEFAULT, 0, true);
    }

    /**
     * Train for {@code epochs} passes over the data, in batches of 128, at the family's learning rate, with the
     * live dashboard: {@code vae.fit(data, Fit.epochs(10).batchSize(64).lr(1e-3))}.
     */
    public static Fit epochs(int epochs) {
        return new Fit(epochs, 128, FAMILY_DEFAULT, 0, true);
    }

    /** Train for exactly {@code steps} optimizer steps, however many epochs that takes. */
    public static Fit steps(long steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("Fit.steps needs at least 1 step, got " + steps);
        }
        return new Fit(Integer.MAX_VALUE, 128, FAMILY_DEFAULT, steps, true);
    }

    /** Examples per optimizer step (default 128): {@code Fit.epochs(5).batchSize(64)}. */
    public Fit batchSize(int size) {
        return new Fit(epochs, size, lr, stepLimit, progress, checkpoints, listeners, evaluation);
    }

    /**
     * The optimizer's learning rate (default: the family's own, e.g. 1e-3 for a VAE, 2e-3 for the diffusion
     * U-Net): {@code Fit.epochs(5).lr(3e-4)}.
     */
    public Fit lr(double learningRate) {
        if (Double.isNaN(learningRate)) {
            throw new IllegalArgumentException("the learning rate must be a positive number, got NaN");
        }
        return new Fit(epochs, batchSize, learningRate, stepLimit, progress, checkpoints, listeners, evaluation);
    }

    /** Train without progress output. */
    public Fit quiet() {
        return new Fit(epochs, batchSize, lr, stepLimit, false, checkpoints, listeners, evaluation);
    }

    /**
     * Saves the model to {@code dir/last} every {@code epochs} epochs (each save replaces the previous
     * one whole); {@code Gen.load(dir.resolve("last"))} continues from there.
     */
    public Fit checkpointEvery(int epochs, Path dir) {
        if (epochs < 1) {
            throw new IllegalArgumentException("checkpointEvery needs at least 1 epoch between saves, got " + epochs);
        }
        return new Fit(this.epochs, batchSize, lr, stepLimit, progress, new Checkpoints(dir, epochs, checkpoints.bestBy()), listeners, evaluation);
    }

    /**
     * Every {@code epochs} epochs, measures the model's samples against {@code data} (for images FCD, KID,
     * precision and recall in a classifier's features; for points MMD) and puts the numbers into the History
     * and on the live dashboard, where {@code keepBest("fcd")} can use them. Use a few thousand examples at
     * most (e.g. {@code test.take(2000)}): every evaluation draws as many samples.
     */
    public Fit evaluateEvery(int epochs, Dataset data) {
        if (epochs < 1) {
            throw new IllegalArgumentException("evaluateEvery needs at least 1 epoch between evaluations, got " + epochs);
        }
        if (data == null || data.size() < 10) {
            throw new IllegalArgumentException("evaluateEvery needs data of at least 10 examples to compare samples with");
        }
        return new Fit(this.epochs, batchSize, lr, stepLimit, progress, checkpoints, listeners, new Evaluation(epochs, data));
    }

    /**
     * Also keeps {@code dir/best}: the model after the epoch with the best value of {@code metric}: the lowest
     * epoch mean of a loss ("loss"), the lowest FCD, KID or MMD, the highest precision or recall (metrics from
     * {@link #evaluateEvery}). Needs {@link #checkpointEvery}.
     */
    public Fit keepBest(String metric) {
        if (checkpoints.dir() == null) {
            throw new IllegalStateException("keepBest needs a folder: call checkpointEvery(epochs, dir) first");
        }
        return new Fit(epochs, batchSize, lr, stepLimit, progress, new Checkpoints(checkpoints.dir(), checkpoints.everyEpochs(), metric), listeners, evaluation);
    }

    /**
     * Also sends every step and epoch event to {@code listener}, as the live dashboard gets them: log,
     * plot or stop your own way. {@code TrainingListener.eachEpoch(p -> ...)} makes one from a lambda;
     * throwing {@link StopTraining} from it ends training there, keeping every finished step.
     */
    public Fit listen(TrainingListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listen(listener) needs a listener, got null");
        }
        List<TrainingListener> more = new ArrayList<>(listeners);
        more.add(listener);
        return new Fit(epochs, batchSize, lr, stepLimit, progress, checkpoints, more, evaluation);
    }

    List<TrainingListener> listeners() {
        return listeners;
    }

    Checkpoints checkpoints() {
        return checkpoints;
    }

    Evaluation evaluation() {
        return evaluation;
    }

    @Internal
    public int totalEpochs() {
        return epochs;
    }

    @Internal
    public int batch() {
        return batchSize;
    }

    /** The learning rate given with {@link #lr}, or {@code familyDefault} when none was. */
    @Internal
    public double learningRateOr(double familyDefault) {
        return Double.isNaN(lr) ? familyDefault : lr;
    }

    /** 0 when only the epochs bound training. */
    @Internal
    public long stepLimit() {
        return stepLimit;
    }

    @Internal
    public boolean showsProgress() {
        return progress;
    }

    @Override
    public String toString() {
        String length = stepLimit > 0 ? stepLimit + " steps" : epochs + " epoch" + (epochs == 1 ? "" : "s");
        String rate = Double.isNaN(lr) ? "the model's default lr" : String.format("lr %.3g", lr);
        String saving = checkpoints.dir() == null ? "" : String.format(", saved to %s every %d epochs%s", checkpoints.dir(),
                checkpoints.everyEpochs(), checkpoints.bestBy() == null ? "" : ", best by " + checkpoints.bestBy());
        return String.format("Fit(%s, batch %d, %s%s%s)", length, batchSize, rate, progress ? "" : ", quiet", saving);
    }
}
