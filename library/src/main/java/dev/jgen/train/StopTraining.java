package dev.jgen.train;

/**
 * Thrown by a {@link TrainingListener} to end training early (Keras's {@code stop_training}): the run
 * ends after the current step as if it had finished, every finished step is kept, and the epoch it
 * stopped in counts as the last one.
 */
public final class StopTraining extends RuntimeException {
    public StopTraining(String reason) {
        super(reason, null, false, false);
    }
}
