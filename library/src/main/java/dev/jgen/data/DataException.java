package dev.jgen.data;

/** A data set that is missing, unreadable or not what was asked for; the message says what to do. */
public class DataException extends RuntimeException {
    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
