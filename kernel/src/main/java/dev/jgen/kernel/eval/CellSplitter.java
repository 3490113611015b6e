package dev.jgen.kernel.eval;

import jdk.jshell.Snippet;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;

import java.util.ArrayList;
import java.util.List;

/** Cuts a cell into the snippets JShell evaluates one at a time, remembering where each starts. */
final class CellSplitter {
    /**
     * One snippet and the offset of its first character in the cell. {@code endsWithSemicolon} says
     * whether the user ended it with ';', which (as in IPython) keeps its value from being shown.
     */
    record Piece(String source, int offset, boolean endsWithSemicolon) {}

    /**
     * The unfinished snippet the cursor sits in ({@code text}, starting at {@code offset} in the cell),
     * and {@code scope}: the variable declarations and statements before it in the same cell, opened as
     * a block, so that completion sees variables the cell declares but has not run yet.
     */
    record Tail(String text, int offset, String scope) {
        /** The tail inside its cell's scope, for JShell's analysis; offsets in it are {@code scope().length()} ahead. */
        String inScope() {
            return scope + text;
        }
    }

    private final SourceCodeAnalysis analysis;

    CellSplitter(SourceCodeAnalysis analysis) {
        this.analysis = analysis;
    }

    List<Piece> split(String cell) {
        List<Piece> pieces = new ArrayList<>();
        String remaining = cell;
        int offset = 0;
        while (!remaining.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            Completeness completeness = info.completeness();
            if (completeness == Completeness.EMPTY) {
                break;
            }
            int leading = leadingWhitespace(remaining);
            if (!completeness.isComplete()) {
                // Let JShell compile the rest as it is: its diagnostic says what is missing.
                pieces.add(new Piece(remaining.substring(leading), offset + leading, true));
                break;
            }
            String rest = info.remaining();
            // COMPLETE_WITH_SEMI means JShell appended the ';' itself, so the user did not type one.
            boolean typedSemicolon = completeness == Completeness.COMPLETE && info.source().stripTrailing().endsWith(";");
            pieces.add(new Piece(info.source(), offset + leading, typedSemicolon));
            offset += remaining.length() - rest.length();
            remaining = rest;
        }
        return pieces;
    }

    /** The snippet being typed at {@code cursor}, for completion and inspection. */
    Tail tailAt(String cell, int cursor) {
        String remaining = cell.substring(0, Math.min(cursor, cell.length()));
        int offset = 0;
        StringBuilder scope = new StringBuilder();
        while (true) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            String rest = info.remaining();
            if (!info.completeness().isComplete() || rest == null || rest.isBlank()) {
                return new Tail(remaining, offset, scope.isEmpty() ? "" : "{ " + scope);
            }
            if (declaresOrRunsLocally(info.source())) {
                scope.append(info.source()).append(' ');  // JShell's source already ends with the ';' it needs
            }
            offset += remaining.length() - rest.length();
            remaining = rest;
        }
    }

    /** Variables and statements can stand in a block; imports, methods and types cannot. */
    private boolean declaresOrRunsLocally(String source) {
        return analysis.sourceToSnippets(source).stream()
                .allMatch(s -> s.kind() == Snippet.Kind.VAR || s.kind() == Snippet.Kind.STATEMENT);
    }

    /** The completeness of the whole cell, as the front end's is_complete asks. */
    Completeness completeness(String cell) {
        String remaining = cell;
        Completeness last = Completeness.EMPTY;
        while (!remaining.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            last = info.completeness();
            if (!last.isComplete() || info.remaining() == null) {
                return last;
            }
            remaining = info.remaining();
        }
        return last;
    }

    private static int leadingWhitespace(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
