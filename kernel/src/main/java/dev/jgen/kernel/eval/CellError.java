package dev.jgen.kernel.eval;

import java.util.List;

/** A cell that failed, already phrased for the notebook: error name, one-line message, traceback lines. */
public final class CellError extends Exception {
    private final String errorName;
    private final List<String> traceback;

    public CellError(String errorName, String message, List<String> traceback) {
        super(message);
        this.errorName = errorName;
        this.traceback = List.copyOf(traceback);
    }

    public String errorName() {
        return errorName;
    }

    public List<String> traceback() {
        return traceback;
    }
}
