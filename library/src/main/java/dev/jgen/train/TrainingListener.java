package dev.jgen.train;

/** Receives training events; the notebook dashboard and the console bar are both listeners. */
public interface TrainingListener {
    default void onStep(Progress progress) {}

    default void onEpochEnd(Progress progress) {}

    /** Called once, also after an interruption or a failure ({@code failure} is then non-null). */
    default void onEnd(Progress progress, Throwable failure) {}
}
