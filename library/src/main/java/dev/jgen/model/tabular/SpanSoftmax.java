package dev.jgen.model.tabular;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.jgen.model.tabular.TableEncoding.Span;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Softmax within each one-hot part of encoded rows, all parts at once: the parts are gathered into a padded
 * (rows, parts, longest) block (padding far below any logit), normalised along the last axis, and gathered
 * back. A dozen small slices per step would cost more than the networks on a table.
 */
final class SpanSoftmax {
    private static final float PADDING = -1e9f;

    private final int parts;
    private final int longest;
    private final int width;
    private final long[] grouping;
    private final long[] ungrouping;

    /** For the one-hot part of encoded rows, which starts at feature {@code offset}. */
    SpanSoftmax(List<Span> spans, int offset) {
        parts = spans.size();
        longest = spans.stream().mapToInt(Span::length).max().orElse(1);
        width = spans.stream().mapToInt(Span::length).sum();
        grouping = new long[parts * longest];
        ungrouping = new long[width];
        for (int p = 0; p < parts; p++) {
            Span span = spans.get(p);
            for (int i = 0; i < longest; i++) {
                int position = span.start() - offset + i;
                grouping[p * longest + i] = i < span.length() ? position : width;
                if (i < span.length()) {
                    ungrouping[position] = p * longest + i;
                }
            }
        }
    }

    /** Log-probabilities within each part, for logits (B, one-hot width). */
    NDArray logSoftmax(NDArray logits) {
        return within(logits, grouped -> grouped.logSoftmax(2));
    }

    /** Probabilities within each part. */
    NDArray softmax(NDArray logits) {
        return within(logits, grouped -> grouped.softmax(2));
    }

    private NDArray within(NDArray logits, UnaryOperator<NDArray> normalise) {
        NDManager m = logits.getManager();
        long rows = logits.getShape().get(0);
        NDArray padded = logits.concat(m.full(new Shape(rows, 1), PADDING).toDevice(logits.getDevice(), false), 1);
        NDArray into = m.create(grouping, new Shape(1, grouping.length)).toDevice(logits.getDevice(), false).broadcast(rows, grouping.length);
        NDArray grouped = normalise.apply(padded.gather(into, 1).reshape(rows, parts, longest)).reshape(rows, (long) parts * longest);
        NDArray back = m.create(ungrouping, new Shape(1, width)).toDevice(logits.getDevice(), false).broadcast(rows, width);
        return grouped.gather(back, 1);
    }
}
