package dev.jgen.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.jgen.data.Dataset;
import dev.jgen.display.Display;
import dev.jgen.display.Renderable;
import dev.jgen.nn.Backend;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The fit loop every family shares: shuffled mini-batches, a sub-manager per batch, history, progress,
 * and a stop at the next step boundary when the thread is interrupted.
 */
public final class TrainingLoop {
    /**
     * One optimisation step on a batch; returns the step's metrics (the first one is the loss). A step
     * whose loss is not finite must return it without updating the weights.
     */
    @FunctionalInterface
    public interface Step {
        Map<String, Double> run(NDManager batchManager, NDArray examples, NDArray labels);
    }

    private final String title;
    private final History history;
    private final NDManager parent;
    private final List<String> metrics;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private boolean withLabels;
    private Supplier<? extends Renderable> probe;
    private Consumer<Path> saver;
    private Function<Dataset, Map<String, Double>> evaluator;
    private List<String> evaluatedMetrics = List.of();
    /** Metrics where a larger value is the better model, for {@code keepBest}. */
    static final Set<String> HIGHER_IS_BETTER = Set.of("precision", "recall", "elbo", "iwae", "log_likelihood", "accuracy");

    /**
     * @param history where steps are recorded (the model's own, so it outlives this call)
     * @param parent  the manager each batch's sub-manager hangs from (the model's, so arrays share its device)
     * @param metrics the names of the metrics every step reports
     */
    public TrainingLoop(String title, History history, NDManager parent, List<String> metrics) {
        this.title = title;
        this.history = history;
        this.parent = parent;
        this.metrics = List.copyOf(metrics);
    }

    /** Hands each step the batch's labels too (class-conditional models). */
    public TrainingLoop withLabels() {
        this.withLabels = true;
        return this;
    }

    /** Samples from a fixed probe (an image grid, a scatter, lines of text), drawn now and then in the notebook dashboard. */
    public TrainingLoop probe(Supplier<? extends Renderable> samples) {
        this.probe = samples;
        return this;
    }

    /** How to save the model, for {@link Fit#checkpointEvery}. */
    public TrainingLoop saveWith(Consumer<Path> save) {
        this.saver = save;
        return this;
    }

    /** How to measure the model against data, for {@link Fit#evaluateEvery}: the {@code metrics} by name to value. */
    public TrainingLoop evaluateWith(List<String> metrics, Function<Dataset, Map<String, Double>> evaluate) {
        this.evaluatedMetrics = List.copyOf(metrics);
        this.evaluator = evaluate;
        return this;
    }

    public TrainingLoop listen(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    /** Trains on {@code data} as {@code fit} says; arrays of each batch live only for its step. */
    public History run(Dataset data, Fit fit, Step step) {
        if (data.size() == 0) {
            throw new IllegalArgumentException("the data set " + data.name() + " is empty; there is nothing to train on");
        }
        String bestBy = fit.checkpoints().bestBy();
        boolean evaluated = fit.evaluation().data() != null && evaluator != null;
        List<String> known = new ArrayList<>(metrics);
        if (evaluated) {
            known.addAll(evaluatedMetrics);
        }
        if (bestBy != null && !known.contains(bestBy)) {
            throw new IllegalArgumentException("keepBest(\"" + bestBy + "\"): this model reports no metric of that name; its metrics are "
                    + String.join(", ", known) + (evaluated ? "." : " (and with evaluateEvery(epochs, data): fcd, kid, precision, recall)."));
        }
        data.requireFinite();
        listeners.addAll(fit.listeners());
        if (fit.showsProgress()) {
            Display.Sink sink = Display.sink();
            listeners.add(sink != null ? new NotebookDashboard(sink, probe) : new ConsoleProgress());
        }
        int batch = Math.min(fit.batch(), data.size());
        int stepsPerEpoch = (data.size() + batch - 1) / batch;
        long planned = (long) stepsPerEpoch * fit.totalEpochs();
        if (fit.stepLimit() > 0) {
            planned = Math.min(planned, fit.stepLimit());
        }
        Random random = Backend.newRandom();
        long start = System.nanoTime();
        long done = 0;
        Progress progress = new Progress(title, history.nextEpoch(), fit.totalEpochs(), 0, planned, 0, Map.of(), history);
        Throwable failure = null;
        int epochsDone = 0;
        double best = Double.POSITIVE_INFINITY;
        Batches batches = new Batches(data, withLabels);
        boolean stopped = false;
        try {
            while (done < planned && !stopped) {
                int epoch = history.nextEpoch();
                long epochStart = System.nanoTime();
                long gettingBatches = 0;
                int[] order = Dataset.permutation(data.size(), random);
                for (int s = 0; s < stepsPerEpoch && done < planned && !stopped; s++) {
                    if (Thread.interrupted()) {
                        throw new TrainingInterrupted(epoch, s);
                    }
                    Map<String, Double> metrics;
                    try (NDManager batchManager = parent.newSubManager()) {
                        long asked = System.nanoTime();
                        int from = s * batch;
                        Batches.Batch next = batches.take(from, Math.min(data.size(), from + batch), order, batchManager);
                        gettingBatches += System.nanoTime() - asked;
                        metrics = step.run(batchManager, next.examples(), next.labels());
                    } catch (NonFiniteGradient e) {
                        throw new TrainingDiverged(String.format(
                                "the engine produced non-finite gradients at epoch %d, step %d (%s parameter %s) while the loss "
                                        + "was finite, so training stopped without applying that update: the model and its history "
                                        + "are as they were after the previous step. This is a numerical fault in the engine, not "
                                        + "your learning rate or your data: run fit again to continue, and if it recurs, please "
                                        + "report it with your CPU's model name.", epoch + 1, s, e.network(), e.parameter()));
                    }
                    requireFinite(metrics, epoch, s);
                    history.record(epoch, metrics);
                    done++;
                    Progress now = new Progress(title, epoch, fit.totalEpochs(), done, planned, seconds(start), metrics, history);
                    progress = now;
                    stopped = tell(l -> l.onStep(now));
                }
                if (done % stepsPerEpoch == 0 || done == planned || stopped) {
                    history.endEpoch(seconds(epochStart), gettingBatches / 1e9);
                    epochsDone++;
                    Fit.Evaluation evaluation = fit.evaluation();
                    if (evaluation.data() != null && evaluator != null && epochsDone % evaluation.everyEpochs() == 0) {
                        Map<String, Double> measured = evaluator.apply(evaluation.data());
                        history.recordAtLastStep(measured);
                        Map<String, Double> shown = new LinkedHashMap<>(progress.metrics());
                        shown.putAll(measured);
                        progress = new Progress(title, epoch, fit.totalEpochs(), done, planned, seconds(start), shown, history);
                    }
                    best = checkpoint(fit.checkpoints(), epochsDone, best);
                    Progress now = progress;
                    stopped |= tell(l -> l.onEpochEnd(now));
                }
            }
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            for (TrainingListener l : listeners) {
                l.onEnd(progress, failure);
            }
        }
        return history;
    }

    /** Sends an event to every listener; true when one of them asked to stop training. */
    private boolean tell(Consumer<TrainingListener> event) {
        boolean stop = false;
        for (TrainingListener l : listeners) {
            try {
                event.accept(l);
            } catch (StopTraining asked) {
                stop = true;
            }
        }
        return stop;
    }

    /**
     * Saves dir/last every N epochs and dir/best when the chosen metric's epoch value improves (lower is better,
     * but for the metrics in {@link #HIGHER_IS_BETTER}); returns the best so far, as a value to minimise.
     */
    private double checkpoint(Fit.Checkpoints checkpoints, int epochsDone, double best) {
        if (checkpoints.dir() == null || saver == null) {
            return best;
        }
        if (epochsDone % checkpoints.everyEpochs() == 0) {
            saver.accept(checkpoints.dir().resolve("last"));
        }
        if (checkpoints.bestBy() != null && history.metrics().contains(checkpoints.bestBy())) {
            double value = history.lastEpoch(checkpoints.bestBy());
            double toMinimise = HIGHER_IS_BETTER.contains(checkpoints.bestBy()) ? -value : value;
            if (toMinimise < best) { // NaN (not evaluated this epoch) never is
                saver.accept(checkpoints.dir().resolve("best"));
                return toMinimise;
            }
        }
        return best;
    }

    private static void requireFinite(Map<String, Double> metrics, int epoch, int step) {
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            if (!Double.isFinite(e.getValue())) {
                throw new TrainingDiverged(String.format(
                        "%s became %s at epoch %d, step %d (the data are finite, they were checked before training), so "
                                + "training stopped without applying that update. The weights grew out of range: try a smaller "
                                + "learning rate than this model's default or the one given, e.g. Fit...lr(1e-4).",
                        e.getKey(), e.getValue(), epoch + 1, step));
            }
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
