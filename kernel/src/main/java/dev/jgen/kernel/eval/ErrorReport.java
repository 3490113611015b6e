package dev.jgen.kernel.eval;

import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.UnresolvedReferenceException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns JShell's view of a failure into what a notebook user needs: the compiler's message with the
 * line in the cell, or the user's exception with the frames of their own code, JShell and kernel trimmed.
 */
final class ErrorReport {
    private static final String RED = "\u001b[0;31m";
    private static final String BOLD_RED = "\u001b[1;31m";
    private static final String RESET = "\u001b[0m";
    private static final String[] PLUMBING = {"jdk.internal.reflect.", "java.lang.reflect.", "jdk.jshell.", "dev.jgen.kernel."};
    private static final Pattern JSHELL_WRAPPER = Pattern.compile("REPL\\.\\$JShell\\$\\d+[A-Z]?\\.");
    private static final String INTERRUPTION_CLASS = "dev.jgen.train.TrainingInterrupted";
    private static final Set<String> DSL_ERRORS = Set.of("java.lang.IllegalArgumentException", "java.lang.IllegalStateException",
            "dev.jgen.data.DataException", "dev.jgen.model.CheckpointException", "dev.jgen.train.TrainingDiverged");
    /** How DSL code other than fit (e.g. a diffusion model's sampling loop) says that it stopped at an interrupt, and where. */
    private static final String CANCELLATION_CLASS = "java.util.concurrent.CancellationException";
    /** What user code throws when the kernel interrupts it (a wait woken, a runaway loop stopped). */
    private static final Set<String> INTERRUPTED_BY_KERNEL = Set.of("java.lang.InterruptedException", "java.lang.ThreadDeath", CANCELLATION_CLASS);
    private static final String EXIT_REFUSED_CLASS = ExitGuard.ExitRefused.class.getName();

    /** Where each snippet's first line sits: in the cell being run, or in an earlier one. */
    private record Origin(int cell, int firstLine) {}

    private final JShell shell;
    private final Map<String, Origin> origins = new HashMap<>();
    private int cellsSeen;
    private String currentCell;

    ErrorReport(JShell shell) {
        this.shell = shell;
    }

    void remember(Snippet snippet, String cell, CellSplitter.Piece piece) {
        if (cell != currentCell) {
            currentCell = cell;
            cellsSeen++;
        }
        origins.put(snippet.id(), new Origin(cellsSeen, lineOf(cell, piece.offset())));
    }

    static CellError interrupted() {
        return new CellError("Interrupted", "the cell was interrupted", List.of(BOLD_RED + "Interrupted" + RESET));
    }

    /** The failure an event reports, or null when the snippet is fine. */
    CellError of(SnippetEvent event, String cell, CellSplitter.Piece piece, boolean interruptRequested) {
        if (event.status() == Snippet.Status.REJECTED) {
            return compileError(event.snippet(), cell, piece);
        }
        JShellException exception = event.exception();
        if (exception != null) {
            return runtimeError(exception, interruptRequested);
        }
        if (event.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
            String missing = shell.unresolvedDependencies((jdk.jshell.DeclarationSnippet) event.snippet())
                    .collect(Collectors.joining(", "));
            String message = "this declaration needs " + missing + ", which is not defined yet";
            return new CellError("UnresolvedReference", message, List.of(BOLD_RED + "UnresolvedReference: " + RESET + message));
        }
        return null;
    }

    private CellError compileError(Snippet snippet, String cell, CellSplitter.Piece piece) {
        List<Diag> diags = shell.diagnostics(snippet).filter(Diag::isError).toList();
        if (diags.isEmpty()) {
            String message = "this code does not compile";
            return new CellError("CompilationError", message, List.of(BOLD_RED + "CompilationError: " + RESET + message));
        }
        List<String> traceback = new ArrayList<>();
        String first = null;
        String[] lines = cell.split("\n", -1);
        for (Diag d : diags) {
            int position = piece.offset() + (int) Math.max(0, d.getStartPosition());
            int line = lineOf(cell, position);
            int column = position - cell.lastIndexOf('\n', position - 1) - 1;
            String message = d.getMessage(Locale.ROOT);
            if (first == null) {
                first = "line " + line + ": " + message;
            }
            traceback.add(BOLD_RED + "CompilationError" + RESET + " at cell line " + line + ": " + message);
            if (line - 1 < lines.length) {
                traceback.add("    " + lines[line - 1]);
                traceback.add("    " + " ".repeat(Math.max(0, column)) + RED + "^" + RESET);
            }
        }
        return new CellError("CompilationError", first, traceback);
    }

    private CellError runtimeError(JShellException exception, boolean interruptRequested) {
        if (exception instanceof UnresolvedReferenceException unresolved) {
            String missing = shell.unresolvedDependencies(unresolved.getSnippet()).collect(Collectors.joining(", "));
            String message = unresolved.getSnippet().name() + " cannot run until " + missing + " is defined";
            return new CellError("UnresolvedReference", message, List.of(BOLD_RED + "UnresolvedReference: " + RESET + message));
        }
        String className = exception instanceof EvalException ee ? ee.getExceptionClassName() : exception.getClass().getName();
        if (className.equals(INTERRUPTION_CLASS) || (interruptRequested && INTERRUPTED_BY_KERNEL.contains(className))) {
            String message = className.equals(INTERRUPTION_CLASS) || className.equals(CANCELLATION_CLASS) && exception.getMessage() != null
                    ? exception.getMessage() : "the cell was interrupted";
            return new CellError("Interrupted", message, List.of(BOLD_RED + "Interrupted: " + RESET + message));
        }
        String message = withoutWrappers(exception.getMessage());
        if (className.equals(EXIT_REFUSED_CLASS)) {
            // Python's name for the same event, so the notebook reads the way IPython users expect.
            return new CellError("SystemExit", message, List.of(BOLD_RED + "SystemExit: " + RESET + message));
        }
        if (isDslError(className, exception)) {
            return new CellError(simpleName(className), message, List.of(BOLD_RED + simpleName(className) + ": " + RESET + message));
        }
        List<String> traceback = new ArrayList<>();
        Throwable t = exception;
        String prefix = "";
        while (t != null) {
            String name = t instanceof EvalException ee ? ee.getExceptionClassName() : t.getClass().getName();
            traceback.add(BOLD_RED + prefix + name + RESET + (t.getMessage() == null ? "" : ": " + withoutWrappers(t.getMessage())));
            for (StackTraceElement frame : t.getStackTrace()) {
                if (isPlumbing(frame)) {
                    break;
                }
                traceback.add("    at " + describe(frame));
            }
            t = t.getCause();
            prefix = "Caused by: ";
        }
        return new CellError(simpleName(className), message, traceback);
    }

    private String describe(StackTraceElement frame) {
        String file = frame.getFileName();
        if (file != null && file.startsWith("#")) {
            Origin origin = origins.get(file.substring(1));
            String method = frame.getMethodName().equals("do_it$") ? "" : frame.getMethodName() + ", ";
            if (origin != null) {
                int line = origin.firstLine() + frame.getLineNumber() - 1;
                return method + (origin.cell() == cellsSeen ? "cell line " + line : "line " + line + " of an earlier cell");
            }
        }
        return frame.toString();
    }

    /**
     * An error jgen raised on purpose about the user's input (wrong shape, missing data, bad option):
     * its message already says what to do, and the library's frames would only bury it.
     */
    private static boolean isDslError(String className, JShellException exception) {
        StackTraceElement[] frames = exception.getStackTrace();
        return DSL_ERRORS.contains(className) && frames.length > 0 && frames[0].getClassName().startsWith("dev.jgen.")
                && !frames[0].getClassName().startsWith("dev.jgen.kernel.");
    }

    /** JShell wraps user variables in classes like REPL.$JShell$23; users know them by their own names. */
    private static String withoutWrappers(String message) {
        return message == null ? "" : JSHELL_WRAPPER.matcher(message).replaceAll("");
    }

    private static boolean isPlumbing(StackTraceElement frame) {
        for (String p : PLUMBING) {
            if (frame.getClassName().startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    private static String simpleName(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? className : className.substring(dot + 1);
    }

    /** 1-based line of a character offset. */
    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < Math.min(offset, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
