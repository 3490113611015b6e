package dev.jgen.model;

/** A checkpoint folder that is missing, foreign or corrupt; the message names the file. */
public final class CheckpointException extends RuntimeException {
    public CheckpointException(String message) {
        super(message);
    }
}
