package dev.jgen.train;

/** A metric became NaN or infinite; the message says where and what to try. */
public final class TrainingDiverged extends RuntimeException {
    public TrainingDiverged(String message) {
        super(message);
    }
}
