package dev.jgen.model.tabular;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.jgen.data.Dataset;
import dev.jgen.display.HtmlTable;
import dev.jgen.display.Renderable;
import dev.jgen.display.Rendered;
import dev.jgen.eval.Marginals;
import dev.jgen.model.Checkpoint;
import dev.jgen.model.ModelBase;
import dev.jgen.model.tabular.TableConfig.Kind;
import dev.jgen.model.tabular.TableEncoding.ColumnCode;
import dev.jgen.nn.Backend;
import dev.jgen.nn.Layers;
import dev.jgen.nn.Losses;
import dev.jgen.nn.Ops;
import dev.jgen.train.Adam;
import dev.jgen.train.Fit;
import dev.jgen.train.History;
import dev.jgen.train.Terms;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import static dev.jgen.model.Require.positive;

/**
 * A generative model of a table's rows: {@code tm.fit(Tables.creditG(), Fit.epochs(100)); tm.sample(1000);
 * tm.sample(50, "purpose", "radio/tv")}. Numeric, integer, categorical and boolean columns, with missing values;
 * samples keep the columns, their types, ranges and the categories seen. A TVAE by default ({@code
 * Gen.tabular().gan()}: a CTGAN; {@code .copula()}: a Gaussian copula), after Xu et al. 2019, "Modeling
 * Tabular Data using Conditional GAN".
 */
public final class TableModel extends ModelBase {
    public static final String FAMILY = "table";
    private static final double TVAE_LEARNING_RATE = 1e-3;
    private static final double CTGAN_LEARNING_RATE = 2e-4;
    /** The CTGAN's Adam moments, as in the paper. */
    private static final double CTGAN_BETA1 = 0.5;
    private static final double CTGAN_BETA2 = 0.9;
    private static final double GUMBEL_TEMPERATURE = 0.2;
    /** The TVAE's value noise stays within [0.01, 1] standard deviations of a mode, as in the paper. */
    private static final double MIN_LOG_VARIANCE = 2 * Math.log(0.01);
    private static final long ENCODING_SEED = 20261206;
    private static final long PROBE_SEED = 17;
    private static final int PROBE_ROWS = 200;
    private static final int PROBE_ROWS_SHOWN = 5;
    private static final int SAMPLE_BATCH = 4096;
    /** A conditional sample draws at most this many times the rows asked for before it gives up. */
    private static final int MAX_DRAWS_PER_ROW = 200;

    private final TableConfig config;
    private TableEncoding encoding;
    private String tableName;
    private GaussianCopula copula;
    private Block encoder;
    private Block decoder;
    private Block generator;
    private Block discriminator;
    /** Per categorical column: how often each slot occurs in the data (CTGAN conditions). */
    private double[][] frequencies;
    /** The table of the current fit, its encoding and the rows of each category (CTGAN training by sampling). */
    private Table source;
    private Dataset encoded;
    private float[] encodedRows;
    private int[][][] rowsBySlot;
    private SpanSoftmax spanSoftmax;
    /** Where the TVAE's encoder puts the training rows: what it samples latents from. */
    private AggregatePosterior latents;

    /** What a checkpoint keeps besides weights: the columns' codes, the copula, the categories' frequencies. */
    record LearnedTable(String tableName, List<ColumnCode> columns, GaussianCopula copula, double[][] frequencies, AggregatePosterior latents) {}

    public TableModel(TableConfig config) {
        super(FAMILY, config.kind().title(), config.kind() == Kind.CTGAN ? new Adam(CTGAN_BETA1, CTGAN_BETA2) : new Adam());
        this.config = config;
    }

    // ---------------------------------------------------------------- training

    /** Trains on {@code table}'s rows (the first fit learns its columns; later ones need the same columns). */
    public History fit(Table table, Fit fit) {
        boolean first = encoding == null;
        if (first) {
            encoding = TableEncoding.learn(table, config.modes(), new Random(ENCODING_SEED));
            tableName = table.name();
        }
        encoding.requireSameColumns(table, "fit");
        source = table;
        encodedRows = encoding.encode(table, Backend.newRandom());
        encoded = Dataset.of(table.name() + " (encoded)", encodedRows, new Shape(encoding.width()), null);
        rowsBySlot = rowsBySlot(table);
        if (first) {
            frequencies = shares(rowsBySlot, table.rowCount());
        }
        if (config.kind() == Kind.COPULA) {
            copula = GaussianCopula.fit(table, encoding, new Random(ENCODING_SEED));
        }
        try {
            return fit(encoded, config.kind() == Kind.COPULA ? copulaStep(fit, table.rowCount()) : fit);
        } finally {
            if (config.kind() == Kind.TVAE && history.steps() > 0) {
                latents = posterior(encoded);
            }
        }
    }

    public History fit(Table table) {
        return fit(table, Fit.defaults());
    }

    /** The copula is fitted in closed form: one step over every row, which records its negative log-likelihood. */
    private static Fit copulaStep(Fit asked, int rows) {
        Fit one = Fit.epochs(1).batchSize(rows);
        return asked.showsProgress() ? one : one.quiet();
    }

    @Override
    protected Dataset trainingExamples(Dataset data) {
        if (data != encoded) {
            throw new IllegalArgumentException("a table model learns from a Tablesaw Table, and " + data.name()
                    + " is a Dataset: call fit(table, Fit.epochs(100)), e.g. with Tables.creditG() or Table.read().csv(path).");
        }
        return data;
    }

    /** The discrete columns (categories, booleans, whole numbers of few values): the ones a CTGAN conditions on. */
    private List<Integer> discreteColumns() {
        List<Integer> discrete = new ArrayList<>();
        for (int c = 0; c < encoding.columns().size(); c++) {
            if (!encoding.columns().get(c).moded()) {
                discrete.add(c);
            }
        }
        return discrete;
    }

    /** Each slot's share of the rows, per discrete column. */
    private static double[][] shares(int[][][] rowsBySlot, int rows) {
        double[][] shares = new double[rowsBySlot.length][];
        for (int j = 0; j < rowsBySlot.length; j++) {
            shares[j] = new double[rowsBySlot[j].length];
            for (int s = 0; s < shares[j].length; s++) {
                shares[j][s] = rowsBySlot[j][s].length / (double) rows;
            }
        }
        return shares;
    }

    private int[][][] rowsBySlot(Table table) {
        List<Integer> discrete = discreteColumns();
        int[][][] rows = new int[discrete.size()][][];
        for (int j = 0; j < discrete.size(); j++) {
            ColumnCode code = encoding.columns().get(discrete.get(j));
            Column<?> column = table.column(discrete.get(j));
            List<List<Integer>> bySlot = new ArrayList<>();
            for (int s = 0; s < code.slots(); s++) {
                bySlot.add(new ArrayList<>());
            }
            for (int r = 0; r < column.size(); r++) {
                bySlot.get(code.slotAt(column, r)).add(r);
            }
            rows[j] = bySlot.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
        }
        return rows;
    }

    @Override
    protected void build() {
        int width = encoding.width();
        switch (config.kind()) {
            case TVAE -> {
                encoder = TableNetworks.encoder(config);
                decoder = TableNetworks.decoder(config, width, valueCount());
                encoder.initialize(manager, DataType.FLOAT32, new Shape(1, width));
                decoder.initialize(manager, DataType.FLOAT32, new Shape(1, config.latent()));
            }
            case CTGAN -> {
                generator = TableNetworks.generator(config, width);
                discriminator = TableNetworks.discriminator(config);
                generator.initialize(manager, DataType.FLOAT32, new Shape(2, config.latent() + conditionWidth()));
                discriminator.initialize(manager, DataType.FLOAT32, new Shape(1, (long) config.pac() * (width + conditionWidth())));
            }
            case COPULA -> { }
        }
    }

    private int valueCount() {
        return (int) encoding.spans().stream().filter(s -> !s.oneHot()).count();
    }

    private int conditionWidth() {
        int width = 0;
        for (int c : discreteColumns()) {
            width += encoding.columns().get(c).slots();
        }
        return width;
    }

    @Override
    public Map<String, Block> networks() {
        return switch (config.kind()) {
            case TVAE -> Map.of("encoder", encoder, "decoder", decoder);
            case CTGAN -> Map.of("generator", generator, "discriminator", discriminator);
            case COPULA -> Map.of();
        };
    }

    @Override
    public TableConfig config() {
        return config;
    }

    @Override
    protected Record fromData() {
        return new LearnedTable(tableName, encoding.columns(), copula, frequencies, latents);
    }

    @Override
    protected List<String> metrics() {
        return switch (config.kind()) {
            case TVAE -> List.of("loss", "recon", "kl");
            case CTGAN -> List.of("d_loss", "g_loss", "condition", "loss");
            case COPULA -> List.of("loss");
        };
    }

    @Override
    protected double defaultLearningRate() {
        return config.kind() == Kind.CTGAN ? CTGAN_LEARNING_RATE : TVAE_LEARNING_RATE;
    }

    @Override
    protected Map<String, Double> trainingStep(NDArray rows, NDArray labels, double learningRate) {
        return switch (config.kind()) {
            case TVAE -> adam.minimise(() -> objective(rows), networks(), learningRate);
            case CTGAN -> ganStep((int) rows.getShape().get(0), rows.getManager(), learningRate);
            case COPULA -> Map.of("loss", copula.nll());
        };
    }

    /**
     * The TVAE's objective per row on encoded rows (B, width): "loss" = "recon" (each value's Gaussian and each
     * choice's cross-entropy) + the KL weight x "kl" (a negative ELBO at weight 1). Recorded for gradients inside
     * a gradient collector.
     */
    public Terms objective(NDArray rows) {
        NDManager m = rows.getManager();
        int latent = config.latent();
        NDArray stats = encoder.forward(parameters, new NDList(rows), true).singletonOrThrow();
        NDArray mu = stats.get(new NDIndex(":, 0:" + latent));
        NDArray logVar = stats.get(new NDIndex(":, " + latent + ":"));
        NDArray z = mu.add(m.randomNormal(mu.getShape()).mul(logVar.mul(Ops.scalar(m, 0.5)).exp()));
        NDArray out = decoder.forward(parameters, new NDList(z), true).singletonOrThrow();
        NDArray recon = reconstructionNll(out, rows, m).mean();
        NDArray kl = Losses.gaussianKl(mu, logVar, m).mean();
        return Terms.loss("loss", recon.add(kl.mul(Ops.scalar(m, config.klWeight())))).and("recon", recon).and("kl", kl);
    }

    private NDArray reconstructionNll(NDArray out, NDArray rows, NDManager m) {
        int width = encoding.width();
        int values = encoding.values();
        NDArray targets = rows.get(new NDIndex(":, " + values + ":"));
        NDArray nll = targets.mul(softmax().logSoftmax(out.get(new NDIndex(":, " + values + ":" + width)))).sum(new int[] {1}).neg();
        if (values == 0) {
            return nll;
        }
        NDArray logVar = Ops.clamp(out.get(new NDIndex(":, " + width + ":")), MIN_LOG_VARIANCE, 0, m);
        NDArray means = out.get(new NDIndex(":, 0:" + values)).tanh();
        return nll.add(Losses.gaussianNll(means, logVar, rows.get(new NDIndex(":, 0:" + values)), m));
    }

    private SpanSoftmax softmax() {
        if (spanSoftmax == null) {
            spanSoftmax = new SpanSoftmax(encoding.oneHotSpans(), encoding.values());
        }
        return spanSoftmax;
    }

    /** One CTGAN step on {@code size} rows drawn by training-by-sampling (rounded down to whole packs). */
    private Map<String, Double> ganStep(int size, NDManager m, double learningRate) {
        int rows = Math.max(config.pac(), size - size % config.pac());
        Random random = Backend.newRandom();
        Conditions conditions = trainingConditions(rows, random);
        NDArray real = m.create(conditions.realRows, new Shape(rows, encoding.width())).toDevice(device(), false);
        NDArray condition = m.create(conditions.vectors, new Shape(rows, conditionWidth())).toDevice(device(), false);
        Map<String, Double> metrics = new LinkedHashMap<>(Layers.withFrozen(generator, () -> adam.minimise(() -> {
            NDArray fake = activate(generate(condition, m.randomNormal(new Shape(rows, config.latent())), true), true, m)[0];
            NDArray loss = Ops.softplus(judge(real, condition).neg()).mean().add(Ops.softplus(judge(fake, condition)).mean());
            return Terms.loss("d_loss", loss);
        }, Map.of("discriminator", discriminator), learningRate)));
        if (!Double.isFinite(metrics.get("d_loss"))) {
            return metrics;
        }
        NDArray chosen = m.create(conditions.targets, new Shape(rows, encoding.width())).toDevice(device(), false);
        metrics.putAll(Layers.withFrozen(discriminator, () -> adam.minimise(() -> {
            NDArray[] activated = activate(generate(condition, m.randomNormal(new Shape(rows, config.latent())), true), true, m);
            NDArray adversarial = Ops.softplus(judge(activated[0], condition).neg()).mean();
            NDArray missed = activated[1].mul(chosen).sum(new int[] {1}).neg().mean();
            return Terms.loss("g_loss", adversarial.add(missed)).and("condition", missed);
        }, Map.of("generator", generator), learningRate)));
        metrics.put("loss", metrics.get("d_loss") + metrics.getOrDefault("g_loss", Double.NaN));
        return metrics;
    }

    /** Pre-activations (rows, width) from noise (rows, latent) and the conditions. */
    private NDArray generate(NDArray condition, NDArray noise, boolean training) {
        noise = noise.toDevice(device(), false);
        NDArray input = condition.getShape().get(1) == 0 ? noise : noise.concat(condition, 1);
        return generator.forward(parameters, new NDList(input), training).singletonOrThrow();
    }

    /**
     * The generator's rows: values through tanh, choices through a softmax (Gumbel-softmax while training, so a
     * row holds near one-hot choices the discriminator cannot tell from real ones by their softness); and every
     * choice's log-probabilities (zero at values), for the condition's cross-entropy.
     */
    private NDArray[] activate(NDArray out, boolean gumbel, NDManager m) {
        int values = encoding.values();
        NDArray logits = out.get(new NDIndex(":, " + values + ":"));
        NDArray logs = softmax().logSoftmax(logits);
        NDArray choices;
        if (gumbel) {
            NDArray u = m.randomUniform(1e-10f, 1f, logits.getShape()).toDevice(device(), false);
            choices = softmax().softmax(logits.add(u.log().neg().log().neg()).mul(Ops.scalar(m, 1 / GUMBEL_TEMPERATURE)));
        } else {
            choices = softmax().softmax(logits);
        }
        if (values == 0) {
            return new NDArray[] {choices, logs};
        }
        NDArray valueFeatures = out.get(new NDIndex(":, 0:" + values));
        return new NDArray[] {valueFeatures.tanh().concat(choices, 1), valueFeatures.zerosLike().concat(logs, 1)};
    }

    /** The discriminator's scores (rows / pac, 1) for rows with their conditions. */
    private NDArray judge(NDArray rows, NDArray condition) {
        NDArray input = condition.getShape().get(1) == 0 ? rows : rows.concat(condition, 1);
        long packs = input.getShape().get(0) / config.pac();
        return discriminator.forward(parameters, new NDList(input.reshape(packs, -1)), true).singletonOrThrow();
    }

    /** Conditions and the real rows that match them (training by sampling); {@code targets} marks each chosen slot. */
    private record Conditions(float[] vectors, float[] realRows, float[] targets) {}

    private Conditions trainingConditions(int rows, Random random) {
        int width = encoding.width();
        int conditionWidth = conditionWidth();
        float[] vectors = new float[rows * conditionWidth];
        float[] real = new float[rows * width];
        float[] targets = new float[rows * width];
        List<Integer> discrete = discreteColumns();
        // Per discrete column, once per step: its slots' log-frequencies, where its slots start in a condition and in a row.
        double[][] logFrequencies = new double[discrete.size()][];
        int[] conditionStarts = conditionStarts();
        int[] rowStarts = new int[discrete.size()];
        for (int j = 0; j < discrete.size(); j++) {
            logFrequencies[j] = new double[rowsBySlot[j].length];
            for (int s = 0; s < logFrequencies[j].length; s++) {
                logFrequencies[j][s] = Math.log1p(rowsBySlot[j][s].length);
            }
            rowStarts[j] = encoding.oneHotStart(encoding.columns().get(discrete.get(j)).name());
        }
        for (int r = 0; r < rows; r++) {
            int row;
            if (discrete.isEmpty()) {
                row = random.nextInt(encoded.size());
            } else {
                int j = random.nextInt(discrete.size());
                int slot = TableEncoding.draw(logFrequencies[j], random);
                vectors[r * conditionWidth + conditionStarts[j] + slot] = 1;
                targets[r * width + rowStarts[j] + slot] = 1;
                int[] candidates = rowsBySlot[j][slot];
                row = candidates[random.nextInt(candidates.length)];
            }
            System.arraycopy(encodedRows, row * width, real, r * width, width);
        }
        return new Conditions(vectors, real, targets);
    }

    /** Where each discrete column's slots start in a condition vector. */
    private int[] conditionStarts() {
        List<Integer> discrete = discreteColumns();
        int[] starts = new int[discrete.size()];
        for (int j = 1; j < starts.length; j++) {
            starts[j] = starts[j - 1] + encoding.columns().get(discrete.get(j - 1)).slots();
        }
        return starts;
    }

    @Override
    protected List<String> evaluatedMetrics() {
        return List.of();
    }

    @Override
    protected Map<String, Double> measureAgainst(Dataset data) {
        throw new UnsupportedOperationException("a table model is measured with Evaluate.tables(real, tm.sample(n)), not Fit.evaluateEvery");
    }

    // ---------------------------------------------------------------- sampling

    /** {@code n} new rows with the columns, types and categories of the table it learned. */
    @Override
    public SyntheticTable sample(int n) {
        return sample(n, Backend.newRandom());
    }

    /**
     * {@code n} new rows drawn from {@code seed} alone: the same seed gives the same rows on any machine, whatever
     * else was sampled before (for sampling in parallel, one seed per part).
     */
    public SyntheticTable sample(int n, long seed) {
        return sample(n, new Random(seed));
    }

    private SyntheticTable sample(int n, Random random) {
        requireTrained("sample");
        positive("sample: n", n);
        return new SyntheticTable(rows(n, -1, -1, random, false));
    }

    /** {@code n} new rows whose {@code column} holds {@code value} (a category, or a boolean's "true"/"false"). */
    public SyntheticTable sample(int n, String column, String value) {
        requireTrained("sample");
        positive("sample: n", n);
        ColumnCode code;
        try {
            code = encoding.column(column);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sample(n, column, value): " + e.getMessage());
        }
        if (code.moded()) {
            throw new IllegalArgumentException("sample(n, column, value) conditions on a category, and \"" + column
                    + "\" holds numbers; filter numeric ranges on a plain sample instead: table.where(...)");
        }
        int slot = code.slotOf(value);
        if (slot < 0) {
            throw new IllegalArgumentException("\"" + value + "\" is not a category of \"" + column + "\"; it has " + code.categories());
        }
        int discreteIndex = discreteColumns().indexOf(encoding.columns().indexOf(code));
        Random random = Backend.newRandom();
        Table kept = null;
        int drawn = 0;
        while ((kept == null ? 0 : kept.rowCount()) < n) {
            if (drawn >= MAX_DRAWS_PER_ROW * n) {
                throw new IllegalStateException(String.format("the model wrote \"%s\" in column \"%s\" in only %d of %,d rows it drew; "
                        + "train it longer, or ask for fewer rows.", value, column, kept == null ? 0 : kept.rowCount(), drawn));
            }
            int batch = Math.min(SAMPLE_BATCH, Math.max(n, 64));
            Table rows = rows(batch, discreteIndex, slot, random, false);
            drawn += batch;
            Column<?> written = rows.column(column);
            int[] matches = IntStream.range(0, rows.rowCount())
                    .filter(i -> code.slotAt(written, i) == slot).toArray();
            Table matching = rows.rows(matches);
            kept = kept == null ? matching : kept.append(matching);
        }
        return new SyntheticTable(kept.inRange(0, n).setName(tableName + " synthetic, " + column + " = " + value));
    }

    /** {@code n} rows, conditioned on one slot of one discrete column when {@code discreteIndex} >= 0. */
    private Table rows(int n, int discreteIndex, int slot, Random random, boolean probe) {
        String name = tableName + " synthetic";
        if (config.kind() == Kind.COPULA) {
            return copula.sample(name, encoding, n, random);
        }
        Backend.inferenceMode();
        float[] features;
        try (NDManager m = manager.newSubManager()) {
            if (config.kind() == Kind.TVAE) {
                float[] noise = probe ? probeLatents(n, config.latent()) : gaussians(n * config.latent(), random);
                NDArray z = m.create(latents != null ? latents.draw(noise, n, random) : noise, new Shape(n, config.latent()));
                NDArray out = decoder.forward(parameters, new NDList(z.toDevice(device(), false)), false).singletonOrThrow();
                features = tvaeRows(out, m, random).toFloatArray();
            } else {
                NDArray condition = m.create(samplingConditions(n, discreteIndex, slot, random), new Shape(n, conditionWidth())).toDevice(device(), false);
                NDArray noise = m.create(probe ? probeLatents(n, config.latent()) : gaussians(n * config.latent(), random), new Shape(n, config.latent()));
                features = activate(generate(condition, noise, false), false, m)[0].toFloatArray();
            }
        }
        return encoding.decode(name, features, n, random);
    }

    /** The encoder's q(z|row) for every encoded row. */
    private AggregatePosterior posterior(Dataset rows) {
        Backend.inferenceMode();
        int latent = config.latent();
        float[] means = new float[rows.size() * latent];
        float[] stds = new float[rows.size() * latent];
        for (int from = 0; from < rows.size(); from += SAMPLE_BATCH) {
            int to = Math.min(rows.size(), from + SAMPLE_BATCH);
            try (NDManager m = manager.newSubManager()) {
                NDArray stats = encoder.forward(parameters, new NDList(rows.batch(m, from, to, null).toDevice(device(), false)), false).singletonOrThrow();
                float[] mu = stats.get(new NDIndex(":, 0:" + latent)).toFloatArray();
                float[] std = stats.get(new NDIndex(":, " + latent + ":")).mul(Ops.scalar(m, 0.5)).exp().toFloatArray();
                System.arraycopy(mu, 0, means, from * latent, mu.length);
                System.arraycopy(std, 0, stds, from * latent, std.length);
            }
        }
        return new AggregatePosterior(means, stds);
    }

    /** Values drawn around the decoder's means with its variances, in [-1, 1]; choices as probabilities. */
    private NDArray tvaeRows(NDArray out, NDManager m, Random random) {
        int width = encoding.width();
        int values = encoding.values();
        NDArray choices = softmax().softmax(out.get(new NDIndex(":, " + values + ":" + width)));
        if (values == 0) {
            return choices;
        }
        NDArray logVar = Ops.clamp(out.get(new NDIndex(":, " + width + ":")), MIN_LOG_VARIANCE, 0, m);
        NDArray means = out.get(new NDIndex(":, 0:" + values)).tanh();
        NDArray noise = m.create(gaussians((int) means.size(), random), means.getShape()).toDevice(device(), false)
                .mul(logVar.mul(Ops.scalar(m, 0.5)).exp());
        return Ops.clamp(means.add(noise), -1, 1, m).concat(choices, 1);
    }

    /**
     * Standard-normal draws from {@code random}: sampling draws all its randomness from one seeded source, so the
     * dashboard's probe, which has its own, leaves what {@code Gen.seed} fixed as it was.
     */
    private static float[] gaussians(int count, Random random) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    /** One-hot conditions: the given slot, or for each row a column at random and a slot as often as the data has it. */
    private float[] samplingConditions(int n, int discreteIndex, int slot, Random random) {
        int conditionWidth = conditionWidth();
        float[] vectors = new float[n * conditionWidth];
        if (conditionWidth == 0) {
            return vectors;
        }
        int[] starts = conditionStarts();
        for (int r = 0; r < n; r++) {
            int j = discreteIndex >= 0 ? discreteIndex : random.nextInt(frequencies.length);
            int s = discreteIndex >= 0 ? slot : TableEncoding.draw(frequencies[j], random);
            vectors[r * conditionWidth + starts[j] + s] = 1;
        }
        return vectors;
    }

    /** A few rows sampled the same way throughout training, with the first columns' marginals against the data. */
    @Override
    protected Renderable probeSamples() {
        Table rows = rows(PROBE_ROWS, -1, -1, new Random(PROBE_SEED), true);
        return () -> {
            StringBuilder html = new StringBuilder("<div style=\"overflow-x:auto;font-size:11px\">")
                    .append(HtmlTable.of(rows, PROBE_ROWS_SHOWN)).append("</div>");
            if (source != null) {
                for (int c : marginalColumns()) {
                    html.append("<img style=\"width:200px\" src=\"data:image/png;base64,")
                            .append(Base64.getEncoder().encodeToString(Marginals.of(source.column(c), rows.column(c)).png())).append("\"/>");
                }
            }
            return Rendered.html(html.toString(), rows.print(PROBE_ROWS_SHOWN));
        };
    }

    /** The first numeric and the first categorical column. */
    private List<Integer> marginalColumns() {
        List<Integer> chosen = new ArrayList<>();
        List<ColumnCode> columns = encoding.columns();
        columns.stream().filter(ColumnCode::numeric).findFirst().ifPresent(c -> chosen.add(columns.indexOf(c)));
        columns.stream().filter(c -> !c.numeric()).findFirst().ifPresent(c -> chosen.add(columns.indexOf(c)));
        return chosen;
    }

    /** The columns it learned, their types, categories and modes. */
    public TableEncoding encoding() {
        requireTrained("encoding");
        return encoding;
    }

    // ---------------------------------------------------------------- saving

    /** Brings back a table model written by {@link #save}. */
    public static TableModel load(Path dir) {
        Checkpoint.Saved saved = Checkpoint.read(dir, FAMILY);
        TableModel model = new TableModel(saved.config(TableConfig.class));
        LearnedTable learned = saved.fromData(LearnedTable.class);
        model.encoding = new TableEncoding(learned.columns());
        model.tableName = learned.tableName();
        model.copula = learned.copula();
        model.frequencies = learned.frequencies();
        model.latents = learned.latents();
        model.restore(saved);
        return model;
    }

    @Override
    public String toString() {
        return config + (encoding == null ? ", columns learned at the first fit" : ", " + encoding.columns().size() + " columns of "
                + tableName + " (" + encoding.width() + " features encoded)") + ", " + history().steps() + " steps trained";
    }
}
