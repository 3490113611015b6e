package dev.jgen.model.imported;

/** A model file jgen cannot import, with what is wrong with it and what to do. */
public final class ImportException extends RuntimeException {
    public ImportException(String message) {
        super(message);
    }

    public ImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
