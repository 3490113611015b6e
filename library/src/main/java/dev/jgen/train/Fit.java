package dev.jgen.train;

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

    private Fit(int epochs, int batchSize, double lr, long stepLimit, boolean progress) {
        if (epochs < 1) {
            throw new IllegalArgumentException("Fit needs at least 1 epoch, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("the batch size must be at least 1, got " + batchSize);
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
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
    }

    /** One epoch, batch 128, Adam at 1e-3, with live progress. */
    public static Fit defaults() {
        return new Fit(1, 128, 1e-3, 0, true);
    }

    public static Fit epochs(int epochs) {
        return new Fit(epochs, 128, 1e-3, 0, true);
    }

    /** Train for exactly {@code steps} optimizer steps, however many epochs that takes. */
    public static Fit steps(long steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("Fit.steps needs at least 1 step, got " + steps);
        }
        return new Fit(Integer.MAX_VALUE, 128, 1e-3, steps, true);
    }

    public Fit batchSize(int size) {
        return new Fit(epochs, size, lr, stepLimit, progress);
    }

    public Fit lr(double learningRate) {
        return new Fit(epochs, batchSize, learningRate, stepLimit, progress);
    }

    /** Stop after at most this many steps even if epochs remain (0: no limit). */
    public Fit limitSteps(long steps) {
        return new Fit(epochs, batchSize, lr, steps, progress);
    }

    /** Train without progress output. */
    public Fit quiet() {
        return new Fit(epochs, batchSize, lr, stepLimit, false);
    }

    public int totalEpochs() {
        return epochs;
    }

    public int batch() {
        return batchSize;
    }

    public double learningRate() {
        return lr;
    }

    /** 0 when only the epochs bound training. */
    public long stepLimit() {
        return stepLimit;
    }

    public boolean showsProgress() {
        return progress;
    }

    @Override
    public String toString() {
        String length = stepLimit > 0 && epochs == Integer.MAX_VALUE ? stepLimit + " steps"
                : epochs + " epoch" + (epochs == 1 ? "" : "s") + (stepLimit > 0 ? " (at most " + stepLimit + " steps)" : "");
        return String.format("Fit(%s, batch %d, lr %.3g%s)", length, batchSize, lr, progress ? "" : ", quiet");
    }
}
