package dev.jgen.train;

/** Training stopped at the user's request; the model and its History keep every finished step. */
public final class TrainingInterrupted extends RuntimeException {
    public TrainingInterrupted(int epoch, long step) {
        super(String.format("interrupted at epoch %d, step %d; the model and its history keep every finished step",
                epoch + 1, step));
    }
}
