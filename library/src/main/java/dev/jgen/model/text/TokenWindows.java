package dev.jgen.model.text;

import ai.djl.ndarray.types.Shape;
import dev.jgen.data.Dataset;
import dev.jgen.data.Vocabulary;

import java.util.Arrays;
import java.util.List;

/**
 * Text as what a model of a given context trains on: each example becomes start marker, character ids and
 * end marker (no end for a piece of a corpus), cut into windows of context + 1 ids that overlap by one, so
 * that every id after the start is predicted exactly once. Short windows are padded with -1.
 */
record TokenWindows(Dataset dataset, int longest, int longestExample) {
    static final int PAD = -1;

    static TokenWindows of(Dataset text, Vocabulary vocabulary, int context) {
        List<String> examples = text.texts();
        int width = context + 1;
        int count = 0;
        int longest = 2;
        int longestExample = 0;
        float[] values = new float[Math.max(16, examples.size() * width)];
        for (String example : examples) {
            int[] ids = sequence(vocabulary.encode(example), text.isFragments());
            longestExample = Math.max(longestExample, example.length());
            for (int start = 0; start < ids.length - 1; start += context) {
                int end = Math.min(ids.length, start + width);
                if ((long) (count + 1) * width > values.length) {
                    values = Arrays.copyOf(values, values.length * 2);
                }
                int offset = count * width;
                for (int i = start; i < end; i++) {
                    values[offset + i - start] = ids[i];
                }
                Arrays.fill(values, offset + end - start, offset + width, PAD);
                longest = Math.max(longest, end - start);
                count++;
            }
        }
        Dataset windows = Dataset.of(text.name() + " windows", Arrays.copyOf(values, count * width), new Shape(width), null);
        return new TokenWindows(windows, longest, longestExample);
    }

    /** START, the ids, and END unless the text is a fragment of a longer one. */
    static int[] sequence(int[] ids, boolean fragment) {
        int[] out = new int[ids.length + (fragment ? 1 : 2)];
        out[0] = Vocabulary.START;
        System.arraycopy(ids, 0, out, 1, ids.length);
        if (!fragment) {
            out[out.length - 1] = Vocabulary.END;
        }
        return out;
    }
}
