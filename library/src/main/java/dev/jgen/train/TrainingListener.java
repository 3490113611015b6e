package dev.jgen.train;

import java.util.function.Consumer;

/**
 * Receives training events: the notebook dashboard and the console bar are listeners, and so is
 * anything passed to {@link Fit#listen}. Throw {@link StopTraining} from an event to end training there.
 */
public interface TrainingListener {
    default void onStep(Progress progress) {}

    default void onEpochEnd(Progress progress) {}

    /** Called once, also after an interruption or a failure ({@code failure} is then non-null). */
    default void onEnd(Progress progress, Throwable failure) {}

    /** A listener that runs {@code action} after every epoch: {@code Fit.epochs(20).listen(TrainingListener.eachEpoch(p -> ...))}. */
    static TrainingListener eachEpoch(Consumer<Progress> action) {
        return new TrainingListener() {
            @Override
            public void onEpochEnd(Progress progress) {
                action.accept(progress);
            }
        };
    }

    /**
     * Ends training after the step that reaches {@code seconds} of training time, keeping every finished step:
     * an equal CPU budget for models being compared, {@code Fit.steps(5000).listen(TrainingListener.timeLimit(30))}.
     */
    static TrainingListener timeLimit(double seconds) {
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("timeLimit needs a positive number of seconds, got " + seconds);
        }
        return eachStep(p -> {
            if (p.elapsedSeconds() >= seconds) {
                throw new StopTraining(String.format("the time budget of %.0f s is spent", seconds));
            }
        });
    }

    /** A listener that runs {@code action} after every step. */
    static TrainingListener eachStep(Consumer<Progress> action) {
        return new TrainingListener() {
            @Override
            public void onStep(Progress progress) {
                action.accept(progress);
            }
        };
    }
}
