package dev.jgen.kernel.eval;

import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Java evaluation for the kernel. All user code runs on one dedicated cell thread: libtorch keeps
 * per-thread state, and an interrupt must reach user code, never the threads that talk to Jupyter.
 */
public final class JShellSession implements AutoCloseable {
    /** What a cell evaluated to: a value to show, or nothing (declarations, statements, void calls). */
    public record Result(boolean hasValue, Object value) {
        static final Result NOTHING = new Result(false, null);
    }

    private final CellExecutionControl control = new CellExecutionControl();
    /** Read on the first Shift-Tab, not while the kernel starts. */
    private SourceDocs sourceDocs;
    private final ExecutorService cellThread = Executors.newSingleThreadExecutor(daemon("jgen-cell"));
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile Throwable startFailure;
    // Set once on the cell thread before `started` opens; read after awaitStart or on the cell thread.
    private JShell shell;
    private CellSplitter splitter;
    private ErrorReport errors;
    private Magics magics;
    private static final long STOP_GRACE_MILLIS = 1500;

    private final ScheduledExecutorService escalation = Executors.newSingleThreadScheduledExecutor(daemon("jgen-interrupt"));
    private volatile Thread runningOn;
    private volatile boolean interrupted;

    /**
     * Starts JShell and runs {@code startupSnippets} on the cell thread in the background, so the kernel
     * can answer Jupyter while Java warms up; the first cell (or completion request) waits for it.
     */
    public JShellSession(List<String> startupSnippets) {
        cellThread.submit(() -> {
            try {
                start(startupSnippets);
            } catch (RuntimeException | Error e) {
                startFailure = e;
            } finally {
                started.countDown();
            }
        });
    }

    private void start(List<String> startupSnippets) {
        shell = JShell.builder().executionEngine(control.provider(), java.util.Map.of()).build();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                shell.addToClasspath(entry);
            }
        }
        splitter = new CellSplitter(shell.sourceCodeAnalysis());
        errors = new ErrorReport(shell);
        magics = new Magics(new Magics.Session() {
            @Override
            public void addToClasspath(String path) {
                shell.addToClasspath(path);
            }

            @Override
            public Map<String, String> variables() {
                return userVariables();
            }

            @Override
            public Object valueOf(String variable) {
                return JShellSession.this.valueOf(variable);
            }

            @Override
            public void importClass(String className) throws CellError {
                boolean rejected = shell.eval("import " + className + ";").stream().anyMatch(e -> e.status() == Snippet.Status.REJECTED);
                if (rejected) {
                    throw Magics.error("MagicError", "could not import " + className + ": its jar is not on the class path");
                }
            }
        });
        for (String snippet : startupSnippets) {
            try {
                evaluate(snippet);
            } catch (CellErrorCarrier e) {
                throw new IllegalStateException("kernel start-up code failed: " + e.error.getMessage() + " in " + snippet);
            }
        }
    }

    /** Waits until JShell is up (at most a second or two after the kernel starts). */
    private void awaitStart() {
        boolean wasInterrupted = false;
        while (true) {
            try {
                started.await();
                break;
            } catch (InterruptedException e) {
                wasInterrupted = true;
            }
        }
        if (wasInterrupted) {
            Thread.currentThread().interrupt();
        }
        if (startFailure != null) {
            throw new IllegalStateException("the kernel's Java session could not start: " + startFailure.getMessage(), startFailure);
        }
    }

    /** Runs {@code work} on the cell thread (where widget callbacks must run) and waits for it. */
    public void runOnCellThread(Runnable work) {
        awaitStart();
        onCellThread(() -> {
            work.run();
            return null;
        });
    }

    /** Runs work on the cell thread ahead of the next cell (e.g. warming up the engine). */
    public void warmUp(Runnable work) {
        cellThread.submit(work);
    }

    /**
     * Evaluates a whole cell; the value of a trailing expression comes back for display, unless the
     * expression ends with ';'. {@code onCellThread} runs first on the thread that will run the cell
     * (e.g. to mark it, and the threads it starts, as the cell's own).
     */
    public Result run(String cell, Runnable onCellThread) throws CellError {
        awaitStart();
        interrupted = false;
        try {
            return onCellThread(() -> {
                runningOn = Thread.currentThread();
                onCellThread.run();
                try {
                    return runWithMagics(cell);
                } catch (ThreadDeath stopped) {
                    throw new CellErrorCarrier(ErrorReport.interrupted());
                } finally {
                    runningOn = null;
                    Thread.interrupted();
                }
            });
        } catch (CellErrorCarrier carrier) {
            throw carrier.error;
        }
    }

    private Result runWithMagics(String cell) {
        Magics.Split split = Magics.split(cell);
        if (split.magicLines().isEmpty()) {
            return evaluate(cell);
        }
        Result result = Result.NOTHING;
        for (String line : split.magicLines()) {
            try {
                Object value = magics.run(line, System.out::print);
                if (value != null) {
                    result = new Result(true, value);
                }
            } catch (CellError e) {
                throw new CellErrorCarrier(e);
            }
        }
        if (split.code().isBlank()) {
            return result;
        }
        long start = System.nanoTime();
        try {
            Result code = evaluate(split.code());
            return code.hasValue() ? code : result;
        } finally {
            if (split.has("time")) {
                System.out.printf(Locale.ROOT, "wall time: %.3f s%n", (System.nanoTime() - start) / 1e9);
            }
        }
    }

    /** The variables the user declared (not JShell's $1, $2 temporaries), for %vars. */
    private Map<String, String> userVariables() {
        Map<String, String> vars = new LinkedHashMap<>();
        shell.variables().filter(v -> shell.status(v).isActive() && !v.name().startsWith("$"))
                .forEach(v -> vars.put(v.name(), v.typeName()));
        return vars;
    }

    private Object valueOf(String variable) {
        shell.eval(variable);
        return control.takeLastValue();
    }

    private Result evaluate(String cell) {
        List<CellSplitter.Piece> pieces = splitter.split(cell);
        Result result = Result.NOTHING;
        for (int i = 0; i < pieces.size(); i++) {
            if (interrupted) {
                throw new CellErrorCarrier(ErrorReport.interrupted());
            }
            CellSplitter.Piece piece = pieces.get(i);
            List<SnippetEvent> events = shell.eval(piece.source());
            Object value = control.takeLastValue();
            for (SnippetEvent event : events) {
                if (event.causeSnippet() != null) {
                    continue;
                }
                errors.remember(event.snippet(), cell, piece);
                CellError error = errors.of(event, cell, piece, interrupted);
                if (error != null) {
                    throw new CellErrorCarrier(error);
                }
                if (i == pieces.size() - 1 && !piece.endsWithSemicolon() && showsValue(event.snippet())) {
                    result = new Result(true, value);
                }
            }
        }
        return result;
    }

    private static boolean showsValue(Snippet snippet) {
        switch (snippet.subKind()) {
            case VAR_VALUE_SUBKIND:
            case OTHER_EXPRESSION_SUBKIND:
            case TEMP_VAR_EXPRESSION_SUBKIND:
                return true;
            default:
                return false;
        }
    }

    /**
     * Stops the running cell: DSL loops stop at their next step and blocking calls wake at once; code
     * that ignores interruption (a bare {@code while (true)}) is stopped after a grace period.
     */
    public void interrupt() {
        interrupted = true;
        Thread t = runningOn;
        if (t == null) {
            return;
        }
        t.interrupt();
        escalation.schedule(() -> stopIfStillRunning(t), STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    @SuppressWarnings({"deprecation", "removal"})
    private void stopIfStillRunning(Thread t) {
        if (runningOn == t && interrupted && control.inUserCode()) {
            try {
                t.stop();
            } catch (UnsupportedOperationException e) {
                // JDK 20+ cannot stop threads; DSL loops still stop at their next step.
            }
        }
    }

    public List<String> complete(String cell, int cursor, int[] replaceStart) {
        awaitStart();
        int lineStart = cell.lastIndexOf('\n', cursor - 1) + 1;
        String line = cell.substring(lineStart, cursor);
        if (line.stripLeading().startsWith("%") && !line.strip().contains(" ")) {
            String typed = line.strip().substring(1);
            replaceStart[0] = cursor - typed.length();
            return Magics.NAMES.stream().filter(n -> n.startsWith(typed)).toList();
        }
        CellSplitter.Tail tail = splitter.tailAt(cell, cursor);
        List<String> options = suggestions(tail.inScope(), tail.scope().length(), tail.offset(), replaceStart);
        if (options.isEmpty() && !tail.scope().isEmpty()) {
            // The block form cannot hold what is being typed (a method or class declaration): try it alone.
            options = suggestions(tail.text(), 0, tail.offset(), replaceStart);
        }
        return options;
    }

    /** JShell's completions at the end of {@code source}, whose text from {@code skipped} on starts at {@code offset} in the cell. */
    private List<String> suggestions(String source, int skipped, int offset, int[] replaceStart) {
        int[] anchor = new int[1];
        Set<String> options = new LinkedHashSet<>();
        for (SourceCodeAnalysis.Suggestion s : shell.sourceCodeAnalysis().completionSuggestions(source, source.length(), anchor)) {
            options.add(s.continuation());
        }
        replaceStart[0] = offset + Math.max(0, anchor[0] - skipped);
        return CompletionRanking.rank(new ArrayList<>(options), source.substring(Math.min(anchor[0], source.length())),
                receiverBefore(source, anchor[0]));
    }

    /** The class of the expression before the dot that ends just before {@code anchor}, or null (none, static, unknown). */
    private Class<?> receiverBefore(String source, int anchor) {
        int dot = anchor - 1;
        while (dot >= 0 && Character.isWhitespace(source.charAt(dot))) {
            dot--;
        }
        if (dot <= 0 || source.charAt(dot) != '.') {
            return null;
        }
        String expression = source.substring(expressionStart(source, dot), dot).strip();
        String type = expression.isEmpty() ? null : shell.sourceCodeAnalysis().analyzeType(expression, expression.length());
        if (type == null || type.endsWith("]")) {
            return null;
        }
        String name = type.replaceAll("<.*>", "");
        // JShell names types as the notebook's imports let it ("Fit"): try them as the compiler would.
        List<String> candidates = new ArrayList<>(List.of(name, "java.lang." + name));
        shell.imports().filter(i -> shell.status(i).isActive() && !i.isStatic()).forEach(i -> {
            String imported = i.fullname();
            if (imported.endsWith(".*")) {
                candidates.add(imported.substring(0, imported.length() - 1) + name);
            } else if (imported.endsWith("." + name) || name.startsWith(imported.substring(imported.lastIndexOf('.') + 1) + ".")) {
                candidates.add(imported.substring(0, imported.lastIndexOf('.') + 1) + name);
            }
        });
        for (String candidate : candidates) {
            Class<?> found = classOrNestedClass(candidate);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** Nested classes: JShell writes Outer.Inner, the class loader wants Outer$Inner. */
    private Class<?> classOrNestedClass(String name) {
        for (Class<?> found = control.classNamed(name); ; found = control.classNamed(name)) {
            int lastDot = name.lastIndexOf('.');
            if (found != null || lastDot < 0) {
                return found;
            }
            name = name.substring(0, lastDot) + "$" + name.substring(lastDot + 1);
        }
    }

    /** Where the receiver expression that ends at {@code end} starts: back over names, dots, calls and indexing. */
    static int expressionStart(String source, int end) {
        int depth = 0;
        int i = end - 1;
        for (; i >= 0; i--) {
            char c = source.charAt(i);
            if (c == ')' || c == ']') {
                depth++;
            } else if (c == '(' || c == '[') {
                if (depth == 0) {
                    break;
                }
                depth--;
            } else if (c == '"' && depth == 0) {
                i = source.lastIndexOf('"', i - 1);
                if (i < 0) {
                    break;
                }
            } else if (depth == 0 && !Character.isJavaIdentifierPart(c) && c != '.') {
                break;
            }
        }
        int start = i + 1;
        String before = source.substring(0, start).stripTrailing();
        return before.endsWith("new") && (before.length() == 3 || !Character.isJavaIdentifierPart(before.charAt(before.length() - 4)))
                ? before.length() - 3 : start;
    }

    /** Signatures and javadoc of what is under the cursor, or an empty list. */
    public List<String> documentation(String cell, int cursor) {
        awaitStart();
        int end = cursor;
        while (end < cell.length() && Character.isJavaIdentifierPart(cell.charAt(end))) {
            end++;
        }
        String code = splitter.tailAt(cell, end).inScope();
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        List<SourceCodeAnalysis.Documentation> found = analysis.documentation(code, code.length(), true);
        if (found.isEmpty()) {
            // JShell documents a method only inside its call: "Datasets.moons" finds nothing, "Datasets.moons(" does.
            String call = code + "(";
            found = analysis.documentation(call, call.length(), true);
        }
        List<String> docs = new ArrayList<>();
        for (SourceCodeAnalysis.Documentation d : found) {
            String javadoc = d.javadoc() == null || d.javadoc().isBlank() ? sourceDocs().javadoc(d.signature()) : d.javadoc();
            docs.add(javadoc == null || javadoc.isBlank() ? d.signature() : d.signature() + "\n\n" + javadoc);
        }
        return docs;
    }

    private synchronized SourceDocs sourceDocs() {
        if (sourceDocs == null) {
            sourceDocs = SourceDocs.shipped();
        }
        return sourceDocs;
    }

    public Completeness completeness(String cell) {
        awaitStart();
        return splitter.completeness(cell);
    }

    private <T> T onCellThread(Callable<T> work) {
        Future<T> future = cellThread.submit(work);
        while (true) {
            try {
                return future.get();
            } catch (InterruptedException e) {
                // The shell thread is never interrupted by jgen; keep waiting for the cell to finish.
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(cause);
            }
        }
    }

    @Override
    public void close() {
        if (shell != null) {
            shell.close();
        }
        cellThread.shutdownNow();
        escalation.shutdownNow();
    }

    /** Threads that never keep the kernel's JVM alive after a shutdown. */
    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Carries a CellError out of the cell thread's Callable. */
    static final class CellErrorCarrier extends RuntimeException {
        final CellError error;

        CellErrorCarrier(CellError error) {
            super(error.getMessage(), null, false, false);
            this.error = error;
        }
    }
}
