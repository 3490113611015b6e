package dev.jgen.model.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.jgen.data.DataException;
import dev.jgen.data.Dataset;
import dev.jgen.data.Vocabulary;
import dev.jgen.model.Checkpoint;
import dev.jgen.model.ModelBase;
import dev.jgen.nn.Backend;
import dev.jgen.nn.Ops;
import dev.jgen.train.Adam;
import dev.jgen.train.Terms;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.jgen.model.Require.positive;

/**
 * A character-level language model: {@code lm.fit(Datasets.names(), Fit.epochs(5)); lm.sample(20);
 * lm.sample(5, "Ma"); lm.bitsPerChar(heldOut)}. It learns its characters from the data of its first fit; each
 * example is read as a start marker, its characters and an end marker (text cut from a corpus has no end),
 * in windows of the context's length. The loss is in bits per character.
 */
public final class TextModel extends ModelBase {
    public static final String FAMILY = "text";
    private static final double LEARNING_RATE = 1e-3;
    /** A bigram table starts at its optimum, so fitting only polishes it. */
    private static final double BIGRAM_LEARNING_RATE = 1e-2;
    private static final double LN2 = Math.log(2);
    private static final int PROBE_LINES = 8;
    private static final int PROBE_MAX_CHARS = 60;
    private static final long PROBE_SEED = 20261206;
    private static final int EVALUATION_BATCH = 256;
    /** The longest a line grows by default, as a multiple of the longest example seen. */
    private static final int DEFAULT_LENGTH_FACTOR = 2;
    private static final int MAX_DEFAULT_CHARS = 1000;

    private final TextConfig config;
    private Vocabulary vocabulary;
    private boolean fragments;
    /** Characters of the longest training example: how long a sampled line may grow by default. */
    private int longest;
    /** Tokens of the longest training window: batches are cut to it (names need 17 of a context of 64). */
    private int windowLength;
    private Block network;
    private float[] bigramStart;

    /** What the model learned from its data besides weights. */
    record LearnedText(String characters, boolean fragments, int longest) {}

    public TextModel(TextConfig config) {
        super(FAMILY, config.bigram() ? "Bigram" : "Text Transformer", new Adam());
        this.config = config;
    }

    /** The characters it writes, learned at the first fit. */
    public Vocabulary vocabulary() {
        requireTrained("vocabulary");
        return vocabulary;
    }

    // ---------------------------------------------------------------- training

    @Override
    protected Dataset trainingExamples(Dataset data) {
        if (!data.isText()) {
            throw new IllegalArgumentException("a text model learns from text, and " + data.name() + " holds numbers: use "
                    + "Datasets.names(), fortunes(), words(), text(path) or corpus(path).");
        }
        if (vocabulary == null) {
            vocabulary = data.vocabulary();
            fragments = data.isFragments();
        }
        TokenWindows windows = TokenWindows.of(data, vocabulary, config.context());
        windowLength = windows.longest();
        longest = Math.max(longest, windows.longestExample());
        return windows.dataset();
    }

    @Override
    protected void beforeBuild(Dataset data) {
        if (config.bigram()) {
            bigramStart = smoothedLogCounts(data);
        }
    }

    /** log P(next | previous) from counts with one added to each (Laplace), the bigram's maximum of smoothed likelihood. */
    private float[] smoothedLogCounts(Dataset data) {
        int v = vocabulary.size();
        double[] counts = new double[v * v];
        Arrays.fill(counts, 1);
        for (String text : data.texts()) {
            int[] ids = TokenWindows.sequence(vocabulary.encode(text), fragments);
            for (int i = 1; i < ids.length; i++) {
                counts[ids[i - 1] * v + ids[i]]++;
            }
        }
        float[] logs = new float[v * v];
        for (int row = 0; row < v; row++) {
            double total = 0;
            for (int col = 0; col < v; col++) {
                total += counts[row * v + col];
            }
            for (int col = 0; col < v; col++) {
                logs[row * v + col] = (float) Math.log(counts[row * v + col] / total);
            }
        }
        return logs;
    }

    @Override
    protected void build() {
        network = config.bigram() ? new Bigram(vocabulary.size()) : new Transformer(config, vocabulary.size());
        network.initialize(manager, DataType.FLOAT32, new Shape(1, config.context()));
        if (bigramStart != null) {
            ((Bigram) network).table().getArray().set(bigramStart);
            bigramStart = null;
        }
    }

    @Override
    public Map<String, Block> networks() {
        return Map.of("network", network);
    }

    /** The builder's settings. */
    @Override
    public TextConfig config() {
        return config;
    }

    @Override
    protected Record fromData() {
        return new LearnedText(vocabulary.characters(), fragments, longest);
    }

    @Override
    protected List<String> metrics() {
        return List.of("loss");
    }

    @Override
    protected double defaultLearningRate() {
        return config.bigram() ? BIGRAM_LEARNING_RATE : LEARNING_RATE;
    }

    @Override
    protected Map<String, Double> trainingStep(NDArray windows, NDArray labels, double learningRate) {
        return adam.minimise(() -> objective(windows), networks(), learningRate);
    }

    /**
     * Bits per predicted character on a batch of windows (B, tokens) of character ids, -1 after an example's
     * end: "loss". Recorded for gradients inside a gradient collector.
     */
    public Terms objective(NDArray windows) {
        NDArray[] bits = bits(windows, windowLength, true);
        return Terms.loss("loss", bits[0].div(bits[1]));
    }

    /**
     * The summed bits of every predicted character in the first {@code tokens} of {@code windows} and how many there
     * were, as scalars in its manager.
     */
    private NDArray[] bits(NDArray windows, int tokens, boolean training) {
        NDManager m = windows.getManager();
        long length = Math.min(windows.getShape().get(1), tokens);
        NDArray ids = windows.get(new NDIndex(":, 0:" + length)).toType(DataType.INT64, false);
        NDArray inputs = ids.get(new NDIndex(":, 0:" + (length - 1)));
        NDArray targets = ids.get(new NDIndex(":, 1:"));
        NDArray predicted = targets.gte(0).toType(DataType.INT64, false);
        // Positions after an end read the end marker; their targets are not counted.
        NDArray logits = network.forward(parameters, new NDList(inputs.mul(predicted)), training).singletonOrThrow();
        NDArray logProbabilities = logits.logSoftmax(-1).gather(targets.mul(predicted).expandDims(-1), -1).squeeze(-1);
        NDArray counted = predicted.toType(DataType.FLOAT32, false);
        NDArray bits = logProbabilities.mul(counted).sum().mul(Ops.scalar(m, -1 / LN2));
        return new NDArray[] {bits, counted.sum()};
    }

    /**
     * Bits per character of {@code data} under the model (lower is better; 0 would be certainty): the end of
     * each example counts as a character, as in training. Measure it on text the model did not train on.
     */
    public double bitsPerChar(Dataset data) {
        requireTrained("bitsPerChar");
        if (!data.isText()) {
            throw new IllegalArgumentException("bitsPerChar measures text, and " + data.name() + " holds numbers");
        }
        TokenWindows windows = TokenWindows.of(data, vocabulary, config.context());
        Dataset examples = windows.dataset();
        Backend.inferenceMode();
        double bits = 0;
        double count = 0;
        for (int from = 0; from < examples.size(); from += EVALUATION_BATCH) {
            try (NDManager m = manager.newSubManager()) {
                NDArray batch = examples.batch(m, from, Math.min(examples.size(), from + EVALUATION_BATCH), null).toDevice(device(), false);
                NDArray[] sums = bits(batch, windows.longest(), false);
                bits += sums[0].getFloat();
                count += sums[1].getFloat();
            }
        }
        return bits / count;
    }

    @Override
    protected List<String> evaluatedMetrics() {
        return List.of("bits_per_char");
    }

    @Override
    protected Map<String, Double> measureAgainst(Dataset data) {
        return Map.of("bits_per_char", bitsPerChar(data));
    }

    // ---------------------------------------------------------------- sampling

    /** {@code n} new lines (or pieces of text, for a model of a corpus). */
    @Override
    public TextSamples sample(int n) {
        return sample(n, "", Sampling.defaults());
    }

    public TextSamples sample(int n, Sampling sampling) {
        return sample(n, "", sampling);
    }

    /** {@code n} continuations of {@code prompt}, each starting with the prompt itself. */
    public TextSamples sample(int n, String prompt) {
        return sample(n, prompt, Sampling.defaults());
    }

    public TextSamples sample(int n, String prompt, Sampling sampling) {
        requireTrained("sample");
        positive("sample: n", n);
        int[] promptIds;
        try {
            promptIds = vocabulary.encode(prompt);
        } catch (DataException e) {
            throw new IllegalArgumentException("the prompt cannot be written by this model: " + e.getMessage(), e);
        }
        String title = (config.bigram() ? "Bigram" : "Transformer") + " samples" + (prompt.isEmpty() ? "" : " after \"" + prompt + "\"")
                + ", " + sampling;
        return generate(title, n, prompt, promptIds, sampling, Backend.newRandom());
    }

    @Override
    protected TextSamples probeSamples() {
        return generate("Samples so far", PROBE_LINES, "", new int[0], Sampling.defaults().maxChars(PROBE_MAX_CHARS), new Random(PROBE_SEED));
    }

    private TextSamples generate(String title, int n, String prompt, int[] promptIds, Sampling sampling, Random random) {
        int newChars = sampling.maxChars() > 0 ? sampling.maxChars() : defaultLength();
        int total = 1 + promptIds.length + newChars;
        long[] tokens = new long[n * total];
        int length = 1 + promptIds.length;
        StringBuilder[] lines = new StringBuilder[n];
        boolean[] ended = new boolean[n];
        for (int i = 0; i < n; i++) {
            tokens[i * total] = Vocabulary.START;
            for (int p = 0; p < promptIds.length; p++) {
                tokens[i * total + 1 + p] = promptIds[p];
            }
            lines[i] = new StringBuilder(prompt);
        }
        Backend.inferenceMode();
        int v = vocabulary.size();
        int open = n;
        for (int step = 0; step < newChars && open > 0; step++, length++) {
            int seen = Math.min(length, config.context());
            long[] window = new long[n * seen];
            for (int i = 0; i < n; i++) {
                System.arraycopy(tokens, i * total + length - seen, window, i * seen, seen);
            }
            float[] logits;
            try (NDManager stepManager = manager.newSubManager()) {
                NDArray ids = stepManager.create(window, new Shape(n, seen)).toDevice(device(), false);
                logits = network.forward(parameters, new NDList(ids), false).singletonOrThrow()
                        .get(new NDIndex(":, " + (seen - 1) + ", :")).toFloatArray();
            }
            for (int i = 0; i < n; i++) {
                int next = Vocabulary.END;
                if (!ended[i]) {
                    next = choose(logits, i * v, v, sampling, random);
                    if (next == Vocabulary.END) {
                        ended[i] = true;
                        open--;
                    } else {
                        lines[i].append(vocabulary.character(next));
                    }
                }
                tokens[i * total + length] = next;
            }
        }
        List<String> out = new ArrayList<>(n);
        for (StringBuilder line : lines) {
            out.add(line.toString());
        }
        return new TextSamples(title, out);
    }

    /** Draws a character id from the logits {@code row[offset..offset+v)}; never the start marker. */
    private static int choose(float[] logits, int offset, int v, Sampling sampling, Random random) {
        double[] weights = new double[v];
        int best = Vocabulary.END;
        for (int id = 0; id < v; id++) {
            if (id != Vocabulary.START && logits[offset + id] > logits[offset + best]) {
                best = id;
            }
        }
        if (sampling.temperature() == 0) {
            return best;
        }
        double cutoff = Double.NEGATIVE_INFINITY;
        if (sampling.topK() > 0 && sampling.topK() < v - 1) {
            float[] sorted = new float[v - 1];
            for (int id = 0, k = 0; id < v; id++) {
                if (id != Vocabulary.START) {
                    sorted[k++] = logits[offset + id];
                }
            }
            Arrays.sort(sorted);
            cutoff = sorted[sorted.length - sampling.topK()];
        }
        double total = 0;
        for (int id = 0; id < v; id++) {
            double logit = logits[offset + id];
            if (id != Vocabulary.START && logit >= cutoff) {
                weights[id] = Math.exp((logit - logits[offset + best]) / sampling.temperature());
                total += weights[id];
            }
        }
        double u = random.nextDouble() * total;
        for (int id = 0; id < v; id++) {
            u -= weights[id];
            if (u < 0 && weights[id] > 0) {
                return id;
            }
        }
        return best;
    }

    /** Lines end when the model ends them; this bounds them (pieces of a corpus run to it). */
    private int defaultLength() {
        return fragments ? Math.max(1, longest) : Math.min(MAX_DEFAULT_CHARS, Math.max(1, DEFAULT_LENGTH_FACTOR * longest));
    }

    // ---------------------------------------------------------------- saving

    /** Brings back a text model written by {@link #save}. */
    public static TextModel load(Path dir) {
        Checkpoint.Saved saved = Checkpoint.read(dir, FAMILY);
        TextModel model = new TextModel(saved.config(TextConfig.class));
        LearnedText learned = saved.fromData(LearnedText.class);
        model.vocabulary = Vocabulary.ofCharacters(learned.characters());
        model.fragments = learned.fragments();
        model.longest = learned.longest();
        model.restore(saved);
        return model;
    }

    @Override
    public String toString() {
        String kind = config.bigram() ? "Bigram model" : String.format("Text Transformer (%d layers, %d heads, width %d, context %d, dropout %s)",
                config.layers(), config.heads(), config.width(), config.context(), config.dropout());
        return kind + ", " + (vocabulary == null ? "characters learned at the first fit" : vocabulary.toString()) + ", "
                + history().steps() + " steps trained, device " + device();
    }
}
