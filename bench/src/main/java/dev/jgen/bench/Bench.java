package dev.jgen.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.jgen.Gen;
import dev.jgen.data.Dataset;
import dev.jgen.data.Datasets;
import dev.jgen.display.Display;
import dev.jgen.display.Renderable;
import dev.jgen.model.ModelBase;
import dev.jgen.model.text.TextModel;
import dev.jgen.nn.Backend;
import dev.jgen.train.Fit;
import dev.jgen.train.History;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * jgen against what a user would otherwise run, measured side by side in one run on this machine:
 * the DSL, the same model as a minimal hand-written DJL loop, the same model in PyTorch, the hardware's
 * matrix-multiply peak, kernel start-up, and resident memory over many epochs. Prints Markdown tables
 * and writes them to bench/RESULTS.md. Usage: Bench [repeats] [memory-epochs].
 */
public final class Bench {
    /** Per example: 784-512-256-32 encoder and 16-256-512-784 decoder multiply-adds, x2 FLOPs, x3 for backward. */
    private static final double VAE_FLOPS_PER_EXAMPLE = 3 * 2.0
            * (784 * 512 + 512 * 256 + 256 * 32 + 16 * 256 + 256 * 512 + 512 * 784);

    private static final Path REPO = Path.of(System.getProperty("jgen.repo", ".")).toAbsolutePath().normalize();

    private final int repeats;
    /** Segments per side in the overhead measurement. */
    private static final int SEGMENTS = 20;
    /** More than this share of a run spent getting batches would mean data loading holds training back. */
    private static final double MAX_DATA_WAIT = 0.05;

    private final StringBuilder report = new StringBuilder();
    private final Map<String, Double> dataWaitShare = new LinkedHashMap<>();

    private Bench(int repeats) {
        this.repeats = repeats;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("profile")) {
            boolean named = args.length > 1 && !args[1].matches("\\d+");
            String workload = named ? args[1] : "vae";
            int stepsAt = named ? 2 : 1;
            StepProfile.run(workload, args.length > stepsAt ? Integer.parseInt(args[stepsAt]) : workload.equals("vae") ? 200 : 10);
            return;
        }
        if (args.length > 1 && args[0].equals("overhead")) {
            new Bench(1).overheadAlone(List.of(args[1].split(",")));
            return;
        }
        if (args.length > 1 && args[0].equals("training")) {
            new Bench(args.length > 2 ? Integer.parseInt(args[2]) : 3).trainingAlone(List.of(args[1].split(",")));
            return;
        }
        if (args.length > 0 && List.of("text", "tables", "kernel", "dashboard", "memory", "spark").contains(args[0])) {
            Bench bench = new Bench(args.length > 1 ? Integer.parseInt(args[1]) : 5);
            String note = String.format(" Measured %s, %s, on its own with `install/bench %s %d`.", LocalDate.now(), machine(), args[0], bench.repeats);
            switch (args[0]) {
                case "text" -> bench.sectionAlone(TEXT_SECTION, () -> bench.textTransformer(note));
                case "kernel" -> bench.sectionAlone(KERNEL_SECTION, () -> bench.kernelStart(note));
                case "dashboard" -> bench.sectionAlone(DASHBOARD_SECTION, () -> bench.dashboard(note));
                case "memory" -> bench.sectionAlone(MEMORY_SECTION, () -> bench.memory(bench.repeats, note));
                case "spark" -> bench.sectionAlone(SPARK_SECTION, () -> bench.sparkSampling(note));
                default -> bench.sectionAlone(TABLES_SECTION, () -> bench.tableModels(note));
            }
            return;
        }
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int memoryEpochs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Bench bench = new Bench(repeats);
        bench.run(memoryEpochs);
    }

    private void run(int memoryEpochs) throws Exception {
        line("# jgen benchmark");
        line("");
        line(String.format("%s, %s, %d threads for every engine; medians of %d runs, [min-max] after them.",
                LocalDate.now(), machine(), threads(), repeats));
        line("");
        Dataset fashion = Datasets.fashionMnist();
        Dataset moons = Datasets.moons(4000);

        List<String> convRows = convPaddingRows(); // first: a few seconds, before the long runs
        // Warm-up, untimed: libtorch's first kernels and the JIT would otherwise land on whoever runs first.
        HandWrittenLoops.vae(fashion.take(2560), false).train(20);
        Gen.vae().build().fit(fashion.take(2560), Fit.epochs(1).quiet());
        List<Workload> workloads = workloads(fashion, moons);
        Stats handWrittenDjlAdam = measure(() -> HandWrittenLoops.vae(fashion, false).train(469));
        Map<String, Runs> runs = new LinkedHashMap<>();
        Map<String, Runs> overheads = new LinkedHashMap<>();
        for (Workload w : workloads) {
            runs.put(w.name(), inTurns(w));
            overheads.put(w.name(), paired(w));
        }

        line("## Training time (seconds)");
        line("");
        line("The contenders of a workload run in turns, repeat after repeat, so a slow spell of this shared machine "
                + "slows all of them; ratios to PyTorch are medians of each turn's ratio. Each workload runs once untimed first, "
                + "and DSL and hand-written loop swap places every turn.");
        line("");
        line("| workload | jgen DSL | hand-written DJL (DJL's Adam) | hand-written DJL (jgen's Adam) | PyTorch " + torchVersion()
                + " | PyTorch, jgen's malloc settings | DSL / PyTorch | DSL / PyTorch, same malloc |");
        line("|---|---|---|---|---|---|---|---|");
        for (Workload w : workloads) {
            Runs r = runs.get(w.name());
            line(String.format("| %s | %s | %s | %s | %s | %s | %s | %s |", w.title(), r.dsl(),
                    w.name().equals("vae") ? handWrittenDjlAdam.toString() : "", r.handWritten(), r.pytorch(), r.pytorchSameMalloc(),
                    r.dslOverPytorch(), r.dslOverPytorchSameMalloc()));
        }
        line("");
        line("jgen runs with the kernel's environment (kernel.json), whose glibc malloc settings keep freed tensor memory "
                + "for reuse; PyTorch is measured as its users run it, and with the same settings.");
        line("");
        overhead(OVERHEAD_SECTION, "", workloads, overheads);

        // The peak is the machine's best, so the best of several rounds: a busy moment only lowers it.
        double peak = 0;
        for (int r = 0; r < Math.max(3, repeats); r++) {
            peak = Math.max(peak, matmulPeakGflops());
        }
        double epochFlops = VAE_FLOPS_PER_EXAMPLE * fashion.size();
        double floor = epochFlops / (peak * 1e9);
        Stats vae = runs.get("vae").dsl();
        line("## Against the hardware");
        line("");
        line("| | |");
        line("|---|---|");
        line(String.format("| fp32 matrix multiply peak (libtorch via DJL, best of 512-2048 squares and of 3+ rounds) | %.0f GFLOP/s |", peak));
        line(String.format("| VAE epoch work (forward + backward, dense layers) | %.3f TFLOP |", epochFlops / 1e12));
        line(String.format("| hardware floor for the epoch | %.2f s |", floor));
        line(String.format("| achieved by the DSL | %.0f GFLOP/s, %.2fx the floor |", epochFlops / vae.median / 1e9, vae.median / floor));
        double atShapes = StepProfile.vaeMatmulGflops();
        line(String.format("| the VAE's own matrix multiplies at batch 128, timed alone (`install/bench profile` breaks a step down) | %.0f GFLOP/s: "
                + "floor %.2f s, the DSL %.2fx it |", atShapes, epochFlops / (atShapes * 1e9), vae.median / (epochFlops / (atShapes * 1e9))));
        line("");

        dataWaits(workloads);
        ImageLoading.Measured loading = imageLoading();
        evaluationCard();
        TextRates text = textTransformer("");
        tableModels("");
        convPadding(convRows);
        kernelStart("");
        dashboard("");
        memory(memoryEpochs, "");

        line("## Targets");
        line("");
        line("| target | measured | met |");
        line("|---|---|---|");
        for (Workload w : workloads) {
            target("DSL within 2 % of the hand-written DJL loop calling the same objective (" + w.name() + ", same optimizer)",
                    overheads.get(w.name()).dslOverHandWritten().median, 1.02);
        }
        target("VAE epoch at most 0.30x PyTorch", runs.get("vae").dslOverPytorch().median, 0.30);
        target("VAE epoch at most 1.6x the hardware floor", vae.median / floor, 1.6);
        target("diffusion U-Net at most 0.9x PyTorch", runs.get("diffusion").dslOverPytorch().median, 0.9);
        line(String.format("| the live dashboard takes at most %.0f %% of a run | %.1f %% | %s |", 100 * MAX_DASHBOARD_SHARE, 100 * dashboardShare,
                dashboardShare <= MAX_DASHBOARD_SHARE ? "yes" : "no"));
        double worstWait = dataWaitShare.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        line(String.format("| a folder of %,d images: the data set keeps at most 1.05x one float per value | %.2fx | %s |",
                loading.images(), loading.keptMiB() / loading.valuesMiB(), loading.keptMiB() <= 1.05 * loading.valuesMiB() ? "yes" : "no"));
        // Knowing the folder is unchanged takes a walk over it (every file's size and time), so "at once" is absolute.
        line(String.format("| a folder of %,d images: asking again for it unchanged takes under 0.5 s | %.2f s | %s |", loading.images(),
                loading.secondSeconds(), loading.secondSeconds() < 0.5 ? "yes" : "no"));
        target("text Transformer: characters per second trained, PyTorch / jgen (no slower than PyTorch)", text.trainingPytorchOverJgen(), 1);
        target("text Transformer: sampling 20 names, jgen / PyTorch", text.samplingJgenOverPytorch(), 1);
        line(String.format("| data loading never stalls training: getting batches takes at most %.0f %% of any DSL run | %.2f %% | %s |",
                100 * MAX_DATA_WAIT, 100 * worstWait, worstWait <= MAX_DATA_WAIT ? "yes" : "no"));
        line("");
        Files.createDirectories(REPO.resolve("bench"));
        Files.writeString(REPO.resolve("bench/RESULTS.md"), report.toString());
        System.out.println("\nwritten to " + REPO.resolve("bench/RESULTS.md"));
    }

    private static List<Workload> workloads(Dataset fashion, Dataset moons) {
        return List.of(
                new Workload("vae", "VAE, one Fashion-MNIST epoch (469 steps of 128)", fashion, 469, 128, 200,
                        () -> HandWrittenLoops.vae(fashion, true), () -> Gen.vae().build()),
                new Workload("dcgan", "DCGAN, 100 steps of 64", fashion, 100, 64, 40,
                        () -> HandWrittenLoops.dcgan(fashion), () -> Gen.gan().build()),
                new Workload("flow", "RealNVP flow on moons, 1,000 steps of 256", moons, 1000, 256, 250,
                        () -> HandWrittenLoops.flow(moons, 256), () -> Gen.flow().build()),
                new Workload("diffusion", "Diffusion U-Net (32 channels), 100 steps of 64", fashion, 100, 64, 8,
                        () -> HandWrittenLoops.diffusion(fashion), () -> Gen.diffusion().build()));
    }

    /** The workloads a section rerun alone names, in the full run's order. */
    private static List<Workload> workloadsNamed(List<String> names) {
        List<Workload> all = workloads(Datasets.fashionMnist(), Datasets.moons(4000));
        for (String name : names) {
            if (all.stream().noneMatch(w -> w.name().equals(name))) {
                throw new IllegalArgumentException("install/bench: no workload '" + name + "'; use vae, dcgan, flow or diffusion");
            }
        }
        return all.stream().filter(w -> names.contains(w.name())).toList();
    }

    private static final String TRAINING_ALONE_SECTION = "## Training time of some workloads, rerun alone";

    /**
     * {@code install/bench training vae,diffusion}: those workloads' training-time rows, measured as the full run measures
     * them, in a section of their own (the full run's table stays as it was measured).
     */
    private void trainingAlone(List<String> names) throws IOException, InterruptedException {
        List<Workload> chosen = workloadsNamed(names);
        sectionAlone(TRAINING_ALONE_SECTION, () -> {
            line(TRAINING_ALONE_SECTION);
            line("");
            line(String.format("Measured %s, %s, with `install/bench training %s %d`: contenders in turns, medians of %d turns [min-max]; "
                    + "compare these rows with each other, not with the full run's.", LocalDate.now(), machine(), String.join(",", names),
                    repeats, repeats));
            line("");
            line("| workload | jgen DSL | hand-written DJL (jgen's Adam) | PyTorch " + torchVersion()
                    + " | PyTorch, jgen's malloc settings | DSL / PyTorch | DSL / PyTorch, same malloc |");
            line("|---|---|---|---|---|---|---|");
            for (Workload w : chosen) {
                Runs r = inTurns(w);
                line(String.format("| %s | %s | %s | %s | %s | %s | %s |", w.title(), r.dsl(), r.handWritten(), r.pytorch(),
                        r.pytorchSameMalloc(), r.dslOverPytorch(), r.dslOverPytorchSameMalloc()));
            }
            line("");
        });
    }

    private void target(String what, double ratio, double limit) {
        line(String.format("| %s | %.2fx | %s |", what, ratio, ratio <= limit ? "yes" : "no"));
    }

    // ---------------------------------------------------------------- measurements

    private Stats measure(DoubleSupplier run) {
        double[] seconds = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            seconds[r] = run.getAsDouble();
        }
        return new Stats(seconds);
    }

    private ImageLoading.Measured imageLoading() {
        ImageLoading.Measured m = ImageLoading.measure();
        line(String.format("## Your own images: Datasets.images on a folder of %,d PNG files (64x64 photo patches, loaded at 32x32)", m.images()));
        line("");
        line("| first call (decoding on every core) | second call (unchanged folder) | heap kept | the values themselves (floats) |");
        line("|---|---|---|---|");
        line(String.format("| %.2f s | %.4f s | %.1f MiB | %.1f MiB |", m.firstSeconds(), m.secondSeconds(), m.keptMiB(), m.valuesMiB()));
        line("");
        return m;
    }

    private void evaluationCard() {
        EvaluationCost.Measured m = EvaluationCost.measure();
        line("## An evaluation card for 10,000 test images");
        line("");
        line("`Evaluate.model(vae).samples(10000).on(fashionMnistTest())` after one epoch of the default VAE: 10,000 samples, "
                + "features of both sides, FCD, KID over 10 subsets of 1,000, precision and recall (k = 3), ELBO and the "
                + "importance-weighted bound (50 samples), and the real-data row.");
        line("");
        line("| feature classifier (trained on first use, else read from ~/.jgen/classifiers) | the card |");
        line("|---|---|");
        line(String.format("| %.1f s | %.1f s |", m.classifierSeconds(), m.cardSeconds()));
        line("");
    }

    private static final String TEXT_SECTION = "## Text: a character-level Transformer on the names";
    private static final int TEXT_STEPS = 100;

    /** The ratios the targets judge: PyTorch's training rate over jgen's, jgen's sampling time over PyTorch's (medians of turns). */
    private record TextRates(double trainingPytorchOverJgen, double samplingJgenOverPytorch) {}

    /**
     * The same Transformer (4 layers, 4 heads, width 128, context 16, dropout 0.1, Adam 1e-3, batch 64) on all the
     * names in jgen and in PyTorch (bench/pytorch/text.py), in turns: characters trained per second over 100 steps,
     * and the time to sample 20 names.
     */
    private TextRates textTransformer(String note) throws IOException, InterruptedException {
        Dataset names = Datasets.names();
        // Every name is one window (start, letters, end): the characters a batch predicts are its names' letters plus their ends.
        double charsPerName = names.texts().stream().mapToInt(n -> n.length() + 1).average().orElse(0);
        Gen.seed(1);
        TextModel lm = Gen.text().context(16).layers(4).heads(4).width(128).build();
        lm.fit(names, Fit.steps(5).batchSize(64).quiet()); // untimed warm-up, as the PyTorch script does
        lm.sample(20);
        List<Double> jgenRate = new ArrayList<>();
        List<Double> jgenSample = new ArrayList<>();
        List<Double> torchRate = new ArrayList<>();
        List<Double> torchSample = new ArrayList<>();
        List<Double> trainingRatio = new ArrayList<>();
        List<Double> samplingRatio = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            long start = System.nanoTime();
            lm.fit(names, Fit.steps(TEXT_STEPS).batchSize(64).quiet());
            jgenRate.add(TEXT_STEPS * 64 * charsPerName / ((System.nanoTime() - start) / 1e9));
            start = System.nanoTime();
            lm.sample(20);
            jgenSample.add((System.nanoTime() - start) / 1e6);
            JsonObject torch = jsonLines(List.of("/usr/bin/python3", REPO.resolve("bench/pytorch/text.py").toString(),
                    String.valueOf(TEXT_STEPS), "1"), REPO.resolve("bench/pytorch"), false).get(0);
            torchRate.add(torch.get("chars_per_second").getAsDouble());
            torchSample.add(1000 * torch.get("sample_seconds").getAsDouble());
            trainingRatio.add(torchRate.get(r) / jgenRate.get(r));
            samplingRatio.add(jgenSample.get(r) / torchSample.get(r));
        }
        line(TEXT_SECTION);
        line("");
        line(String.format("4 layers, 4 heads, width 128, context 16, dropout 0.1, Adam 1e-3, batch 64, all %,d names; jgen and "
                + "PyTorch %s (bench/pytorch/text.py, the same model) in turns, %d turns; ratios are medians of each turn's ratio.",
                names.size(), torchVersion(), repeats) + note);
        line("");
        line("| | jgen | PyTorch | ratio |");
        line("|---|---|---|---|");
        line(String.format("| characters per second trained (%d steps) | %s | %s | PyTorch / jgen %s |", TEXT_STEPS,
                Stats.of(jgenRate).rounded(), Stats.of(torchRate).rounded(), Stats.of(trainingRatio)));
        line(String.format("| sampling 20 names (ms) | %s | %s | jgen / PyTorch %s |", Stats.of(jgenSample), Stats.of(torchSample),
                Stats.of(samplingRatio)));
        line("");
        return new TextRates(Stats.of(trainingRatio).median, Stats.of(samplingRatio).median);
    }

    /** One section of the benchmark to run alone ({@code install/bench text}, {@code tables}). */
    private interface Section {
        void run() throws IOException, InterruptedException;
    }

    /** Runs one section alone and puts it in place of its old version in bench/RESULTS.md (before the targets when new). */
    private void sectionAlone(String heading, Section section) throws IOException, InterruptedException {
        section.run();
        Path results = REPO.resolve("bench/RESULTS.md");
        String old = Files.exists(results) ? Files.readString(results) : "";
        int from = old.indexOf(heading);
        String written = report.toString();
        if (from < 0) {
            int targets = old.indexOf("## Targets");
            from = targets < 0 ? old.length() : targets;
            Files.writeString(results, old.substring(0, from) + written + old.substring(from));
        } else {
            int next = old.indexOf("\n## ", from + 1);
            Files.writeString(results, old.substring(0, from) + written + (next < 0 ? "" : old.substring(next + 1)));
        }
        System.out.println("\nwritten to " + results);
    }

    private static final String SPARK_SECTION = "## Sampling at scale: SparkGen on one and two workers";

    /** Rows per second from SparkSampling, with the two workers' speed-up over one. */
    private void sparkSampling(String note) throws IOException, InterruptedException {
        Map<String, List<Double>> rates = SparkSampling.measure(repeats);
        line(SPARK_SECTION);
        line("");
        line(String.format("A TVAE trained on credit-g writes %,d rows (%d partitions) per Spark job; one JVM alone samples %,d "
                + "into a Tablesaw table. Rows per second, medians of %d runs [min-max].", SparkSampling.ROWS, SparkSampling.PARTITIONS,
                SparkSampling.LOCAL_ROWS, repeats));
        line("");
        line("| set-up | rows per second |");
        line("|---|---|");
        List<Double> medians = new ArrayList<>();
        rates.forEach((setUp, values) -> {
            line(String.format("| %s | %s |", setUp, Stats.of(values).rounded()));
            medians.add(Stats.of(values).median);
        });
        line("");
        line(String.format("Two workers against one: %.2fx. Each worker runs its executor on one core; this machine has %d, so the "
                + "cluster's two workers use all of it, as local[2] does.", medians.get(3) / medians.get(2),
                Runtime.getRuntime().availableProcessors()) + note);
        line("");
    }

    private static final String DASHBOARD_SECTION = "## The live dashboard's cost";
    /** The dashboard may take at most this share of a training run. */
    private static final double MAX_DASHBOARD_SHARE = 0.02;
    /** A 2 % difference between runs of a few seconds needs many turns to show through this machine's noise. */
    private static final int DASHBOARD_TURNS = 8;
    private double dashboardShare = Double.NaN;

    /**
     * A VAE epoch and 60 diffusion steps, each trained with the notebook dashboard (a display that renders every
     * update it gets and drops it, as the kernel renders and sends it) and quietly, in turns; fresh models each time.
     */
    private void dashboard(String note) {
        Display.Sink rendering = new Display.Sink() {
            @Override
            public String show(Renderable content) {
                content.render();
                return "bench";
            }

            @Override
            public void update(String displayId, Renderable content) {
                content.render();
            }
        };
        Dataset fashion = Datasets.fashionMnist();
        record Run(String title, Supplier<ModelBase> model, Fit fit, int turns) {}
        List<Run> runs = List.of(
                new Run("VAE, one Fashion-MNIST epoch (469 steps of 128)", () -> Gen.vae().build(), Fit.epochs(1), Math.max(DASHBOARD_TURNS, repeats)),
                new Run("Diffusion U-Net (32 channels), 60 steps of 64", () -> Gen.diffusion().build(), Fit.steps(60).batchSize(64), repeats));
        line(DASHBOARD_SECTION);
        line("");
        line(String.format("Each run trains a fresh default model with the dashboard (text twice a second, loss chart and probe samples "
                + "every 3 s or less often, all rendered) and without, in turns after an untimed one (%d for the VAE, %d for the U-Net); "
                + "the share is the median of each turn's (with - without) / without.%s", Math.max(DASHBOARD_TURNS, repeats), repeats, note));
        line("");
        line("| run | with the dashboard (s) | quiet (s) | share of the run |");
        line("|---|---|---|---|");
        dashboardShare = 0;
        for (Run run : runs) {
            double[] with = new double[run.turns()];
            double[] without = new double[run.turns()];
            double[] share = new double[run.turns()];
            for (int r = -1; r < run.turns(); r++) {
                Display.install(rendering);
                long start = System.nanoTime();
                run.model().get().fit(fashion, run.fit());
                double withSeconds = (System.nanoTime() - start) / 1e9;
                Display.install(null);
                start = System.nanoTime();
                run.model().get().fit(fashion, run.fit().quiet());
                double withoutSeconds = (System.nanoTime() - start) / 1e9;
                if (r >= 0) {
                    with[r] = withSeconds;
                    without[r] = withoutSeconds;
                    share[r] = (withSeconds - withoutSeconds) / withoutSeconds;
                }
            }
            Stats shares = new Stats(share);
            dashboardShare = Math.max(dashboardShare, shares.median);
            line(String.format("| %s | %s | %s | %.1f %% [%.1f-%.1f] |", run.title(), new Stats(with), new Stats(without),
                    100 * shares.median, 100 * shares.min, 100 * shares.max));
        }
        line("");
    }

    private static final String TABLES_SECTION = "## Tables: the three table models on credit-g";

    /** Fit and sampling times of the table models, with the report on their rows. */
    private void tableModels(String note) {
        List<TableModels.Measured> models = TableModels.measure(repeats);
        line(TABLES_SECTION);
        line("");
        line(String.format("800 customers to train, 200 held out; %d epochs in batches of %d, then %,d rows sampled; seconds are medians of "
                + "%d runs [min-max], the report is on the last run's rows (quality and pair trends: 1 = like the training "
                + "rows; distance to the closest training row: the held-out rows' own is %.3f).", TableModels.EPOCHS, TableModels.BATCH,
                TableModels.ROWS, repeats, models.get(0).report().get("dcr_holdout")) + note);
        line("");
        line("| model | fit (s) | sample 10,000 rows (s) | quality | pair trends | distance to closest |");
        line("|---|---|---|---|---|---|");
        for (TableModels.Measured m : models) {
            line(String.format("| %s | %s | %s | %.4f | %.4f | %.3f |", m.model(), Stats.of(m.fitSeconds()), Stats.of(m.sampleSeconds()),
                    m.report().get("quality"), m.report().get("pair_trends"), m.report().get("dcr_synthetic")));
        }
        line("");
    }

    /** The price of the AVX-512 convolution fix, layer by layer (README, "Correct on every CPU"). */
    private void convPadding(List<String> rows) {
        line("## Channel padding (the convolution fix): one forward + backward pass, batch 64 (ms)");
        line("");
        line("Every convolution jgen builds pads input and output channels to multiples of 16 (oneDNN's block on AVX-512) "
                + "and slices the extra outputs off; DJL's plain convolution is measured beside it, in turns.");
        line("");
        line("| layer | DJL's Conv2d | jgen's padded conv | padded / plain |");
        line("|---|---|---|---|");
        rows.forEach(this::line);
        line("");
    }

    private static List<String> convPaddingRows() {
        List<String> rows = new ArrayList<>();
        for (ConvPaddingCost.Layer layer : ConvPaddingCost.LAYERS) {
            double[] ms = ConvPaddingCost.millis(layer);
            rows.add(String.format("| %s | %.2f | %.2f | %.2f |", layer.describe(), ms[0], ms[1], ms[1] / ms[0]));
            System.out.println(rows.get(rows.size() - 1));
        }
        return rows;
    }

    /**
     * Seconds of a DSL fit of {@code steps} more steps (the first also builds the networks), remembering the largest
     * share of a run spent waiting for batches.
     */
    private double fit(Workload w, ModelBase model, long steps) {
        double waitedBefore = Arrays.stream(model.history().epochDataSeconds()).sum();
        long start = System.nanoTime();
        History history = model.fit(w.data(), Fit.steps(steps).batchSize(w.batch()).quiet());
        double seconds = (System.nanoTime() - start) / 1e9;
        double waited = Arrays.stream(history.epochDataSeconds()).sum() - waitedBefore;
        dataWaitShare.merge(w.name(), waited / seconds, Math::max);
        return seconds;
    }

    private void dataWaits(List<Workload> workloads) {
        line("## Waiting for data (the largest share of a DSL run that its steps spent getting their batch)");
        line("");
        line("| workload | share of the run |");
        line("|---|---|");
        for (Workload w : workloads) {
            line(String.format("| %s | %.2f %% |", w.title(), 100 * dataWaitShare.get(w.name())));
        }
        line("");
    }

    /** Seconds of one run of the PyTorch script, in a fresh process. */
    private static double pytorch(String workload, boolean jgenMalloc) {
        List<String> command = List.of("/usr/bin/python3", REPO.resolve("bench/pytorch/workloads.py").toString(), workload, "1");
        try {
            return jsonLines(command, REPO.resolve("bench/pytorch"), jgenMalloc).get(0).get("seconds").getAsDouble();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while PyTorch ran " + workload, e);
        }
    }

    /** Each contender once per repeat, in turn. */
    private Runs inTurns(Workload w) {
        double[][] seconds = new double[4][repeats];
        // Untimed: the workload's own code paths are compiled and its memory pools filled before either side is timed.
        w.handWritten().get().train(w.steps());
        for (int r = 0; r < repeats; r++) {
            // The first of a turn finds the caches and the allocator as the PyTorch processes left them: the order alternates.
            if (r % 2 == 0) {
                seconds[0][r] = fit(w, w.dsl().get(), w.steps());
                seconds[1][r] = w.handWritten().get().train(w.steps());
            } else {
                seconds[1][r] = w.handWritten().get().train(w.steps());
                seconds[0][r] = fit(w, w.dsl().get(), w.steps());
            }
            seconds[2][r] = pytorch(w.name(), false);
            seconds[3][r] = pytorch(w.name(), true);
        }
        return new Runs(seconds);
    }

    /**
     * The DSL's overhead over the hand-written loop, measured apart from the long runs: a whole run lasts up to a
     * minute, and this shared machine's speed drifts by a third within that (a U-Net step took 260 ms in one run and
     * 480 ms in the next), which drowns a 2 % difference. Here each side trains its own model in short segments that
     * alternate, each segment going on from where that side's last one stopped, so both meet the same spells.
     */
    private Runs paired(Workload w) {
        ModelBase dsl = w.dsl().get();
        HandWrittenLoops.Loop<?> handWritten = w.handWritten().get();
        fit(w, dsl, w.segment()); // untimed: builds both models' networks
        handWritten.train(w.segment());
        double[][] seconds = new double[2][SEGMENTS];
        for (int s = 0; s < SEGMENTS; s++) {
            if (s % 2 == 0) {
                seconds[0][s] = fit(w, dsl, w.segment());
                seconds[1][s] = handWritten.train(w.segment());
            } else {
                seconds[1][s] = handWritten.train(w.segment());
                seconds[0][s] = fit(w, dsl, w.segment());
            }
        }
        return new Runs(seconds);
    }

    private static final String OVERHEAD_SECTION = "## The DSL's overhead over a hand-written loop (paired segments)";
    private static final String OVERHEAD_ALONE_SECTION = "## The DSL's overhead over a hand-written loop, rerun alone";

    /** {@code install/bench overhead flow,diffusion}: those workloads' paired segments again, in a section of their own. */
    private void overheadAlone(List<String> names) throws IOException, InterruptedException {
        List<Workload> chosen = workloadsNamed(names);
        sectionAlone(OVERHEAD_ALONE_SECTION, () -> {
            Map<String, Runs> overheads = new LinkedHashMap<>();
            for (Workload w : chosen) {
                overheads.put(w.name(), paired(w));
            }
            overhead(OVERHEAD_ALONE_SECTION, String.format(" Measured %s, %s, with `install/bench overhead %s`.", LocalDate.now(),
                    machine(), String.join(",", names)), chosen, overheads);
        });
    }

    private void overhead(String heading, String note, List<Workload> workloads, Map<String, Runs> overheads) {
        line(heading);
        line("");
        line(String.format("The hand-written loop calls the family's public objective with jgen's Adam on the same batches; the DSL "
                + "adds its loop (history, progress, listeners, checks, batch copying). Each side trains one model in %d short "
                + "segments, alternating and each going on from its last, so a slow spell of the machine meets both; the ratio is "
                + "the median of the segments' ratios.", SEGMENTS) + note);
        line("");
        line("| workload | steps per segment | DSL, seconds per segment | hand-written, seconds per segment | DSL / hand-written |");
        line("|---|---|---|---|---|");
        for (Workload w : workloads) {
            Runs p = overheads.get(w.name());
            line(String.format("| %s | %d | %s | %s | %s |", w.title(), w.segment(), p.dsl(), p.handWritten(), p.dslOverHandWritten()));
        }
        line("");
    }

    /**
     * A benchmark workload: a full run of {@code steps} steps of {@code batch} examples, and segments of {@code segment}
     * steps for the overhead; PyTorch's script takes the name.
     */
    private record Workload(String name, String title, Dataset data, int steps, int batch, int segment,
                            Supplier<HandWrittenLoops.Loop<?>> handWritten, Supplier<ModelBase> dsl) {}

    /**
     * Seconds of a workload's contenders, one row each: the DSL, the hand-written loop, and for whole runs PyTorch and
     * PyTorch with jgen's malloc settings.
     */
    private record Runs(double[][] seconds) {
        Stats dsl() {
            return new Stats(seconds[0]);
        }

        Stats handWritten() {
            return new Stats(seconds[1]);
        }

        Stats pytorch() {
            return new Stats(seconds[2]);
        }

        Stats pytorchSameMalloc() {
            return new Stats(seconds[3]);
        }

        Stats dslOverHandWritten() {
            return ratios(1);
        }

        Stats dslOverPytorch() {
            return ratios(2);
        }

        Stats dslOverPytorchSameMalloc() {
            return ratios(3);
        }

        private Stats ratios(int reference) {
            double[] ratios = new double[seconds[0].length];
            for (int r = 0; r < ratios.length; r++) {
                ratios[r] = seconds[0][r] / seconds[reference][r];
            }
            return new Stats(ratios);
        }
    }

    /** The best fp32 matmul rate over a few sizes, each timed over repeated products after a warm-up. */
    private static double matmulPeakGflops() {
        double best = 0;
        Backend.inferenceMode();
        try (NDManager m = Backend.newManager()) {
            for (int n : new int[] {512, 1024, 2048}) {
                NDArray a = m.randomNormal(new Shape(n, n));
                NDArray b = m.randomNormal(new Shape(n, n));
                a.matMul(b).close();
                int products = Math.max(2, (int) (4e10 / (2.0 * n * n * n)));
                long start = System.nanoTime();
                for (int i = 0; i < products; i++) {
                    a.matMul(b).close();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                best = Math.max(best, products * 2.0 * n * n * n / seconds / 1e9);
            }
        }
        return best;
    }

    private static final String KERNEL_SECTION = "## Kernel start (seconds from start, through jupyter_client)";

    private void kernelStart(String note) throws IOException, InterruptedException {
        Map<String, Map<String, List<Double>>> byKernel = new LinkedHashMap<>();
        for (JsonObject o : jsonLines(List.of("/usr/bin/python3", REPO.resolve("bench/kernel_start.py").toString(), String.valueOf(repeats)),
                REPO)) {
            Map<String, List<Double>> times = byKernel.computeIfAbsent(o.get("kernel").getAsString(), k -> new LinkedHashMap<>());
            for (String key : List.of("ready", "first_cell", "first_plot")) {
                if (o.has(key)) {
                    times.computeIfAbsent(key, k -> new ArrayList<>()).add(o.get(key).getAsDouble());
                }
            }
        }
        Map<String, List<Double>> jgen = byKernel.get("jgen");
        Map<String, List<Double>> plain = byKernel.get("jgen-plain");
        Stats ready = Stats.of(jgen.get("ready"));
        Stats firstCell = Stats.of(jgen.get("first_cell"));
        Stats firstPlot = Stats.of(jgen.get("first_plot"));
        line(KERNEL_SECTION);
        line("");
        line("| | jgen | jgen, plain start | Python ipykernel |");
        line("|---|---|---|---|");
        line(String.format("| kernel_info reply (ready) | %s | %s | %s |", ready, Stats.of(plain.get("ready")),
                Stats.of(byKernel.get("python3").get("ready"))));
        line(String.format("| first DSL cell (`Gen.device()`) answered | %s | %s | |", firstCell, Stats.of(plain.get("first_cell"))));
        line(String.format("| first inline plot (`Datasets.moons(200)`) shown | %s | %s | |", firstPlot, Stats.of(plain.get("first_plot"))));
        line("");
        line("\"Plain start\" is the same kernel without its class-data-sharing archive (install/cds-archive) and without "
                + "-XX:TieredStopAtLevel=1 (C1 only: JShell's compiler warms up sooner; training time is libtorch's either way).");
        line(String.format("Targets: ready under 1.5 s %s (%.2f s); first DSL cell by 1.2 s %s (%.2f s); first plot by 1.5 s %s (%.2f s).",
                met(ready.median < 1.5), ready.median, met(firstCell.median <= 1.2), firstCell.median, met(firstPlot.median <= 1.5),
                firstPlot.median) + note);
        line("");
    }

    private static String met(boolean met) {
        return met ? "met" : "NOT met";
    }

    private static final String MEMORY_SECTION = "## Resident memory over many rounds of training, every family";
    /** Rounds whose median resident memory is compared at the start and at the end of a memory run. */
    private static final int WINDOW = 5;

    private void memory(int rounds, String note) throws IOException, InterruptedException {
        line(MEMORY_SECTION);
        line("");
        line("Each family trains its default model for " + rounds + " rounds in its own JVM; resident memory (MiB) is read after "
                + "each round (and a collection). Single readings swing by up to 10 % as the allocator keeps or returns freed blocks, "
                + "so growth compares the median of the last " + WINDOW + " rounds with the median of rounds 2-" + (WINDOW + 1)
                + " (round 1 allocates what training keeps); the target is under 5 %. The allocator may take a few rounds more to "
                + "settle, so growth over the last " + 2 * WINDOW + " rounds tells the two apart: a leak goes on growing there, a warm-up does not. "
                + "The Java heap in use after the collection would show Java objects piling up." + note);
        line("");
        line("| family | a round | resident, rounds 2-" + (WINDOW + 1) + " | resident, last " + WINDOW
                + " rounds | growth | growth over the last " + 2 * WINDOW + " rounds | highest reading | heap in use, round 2 / last | met |");
        line("|---|---|---|---|---|---|---|---|---|");
        for (MemoryRun.Family family : MemoryRun.FAMILIES) {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            List<String> command = new ArrayList<>(List.of(java.toString(), "-Dai.djl.offline=true", "-Xmx6g",
                    "-Dai.djl.pytorch.num_threads=" + threads(), "-Dai.djl.pytorch.num_interop_threads=" + threads(),
                    "-cp", System.getProperty("java.class.path"), MemoryRun.class.getName(), family.name(), String.valueOf(rounds)));
            List<Long> resident = new ArrayList<>(); // KiB
            List<Long> heapUsed = new ArrayList<>();
            for (String out : lines(command, REPO)) {
                String[] parts = out.trim().split(" ");
                if (parts.length == 3 && parts[0].matches("\\d+")) {
                    resident.add(Long.parseLong(parts[1]));
                    heapUsed.add(Long.parseLong(parts[2]));
                }
            }
            if (resident.size() < 2 * WINDOW + 1) {
                line(String.format("| %s | %s | | | the run stopped after %d rounds | | | | no |", family.name(), family.round(), resident.size()));
                continue;
            }
            double early = Stats.of(kib(resident.subList(1, WINDOW + 1))).median;
            double late = Stats.of(kib(resident.subList(resident.size() - WINDOW, resident.size()))).median;
            double tenBefore = Stats.of(kib(resident.subList(resident.size() - 2 * WINDOW, resident.size() - WINDOW))).median;
            double growth = (late - early) / early;
            line(String.format("| %s | %s | %.0f | %.0f | %.1f %% | %.1f %% | %d | %d / %d | %s |", family.name(), family.round(), early / 1024,
                    late / 1024, 100 * growth, 100 * (late - tenBefore) / tenBefore, Collections.max(resident) / 1024, heapUsed.get(1) / 1024,
                    heapUsed.get(heapUsed.size() - 1) / 1024, growth < 0.05 ? "yes" : "no"));
        }
        line("");
    }

    private static List<Double> kib(List<Long> readings) {
        return readings.stream().map(Long::doubleValue).toList();
    }

    // ---------------------------------------------------------------- plumbing

    private static List<JsonObject> jsonLines(List<String> command, Path dir) throws IOException, InterruptedException {
        return jsonLines(command, dir, true);
    }

    private static List<JsonObject> jsonLines(List<String> command, Path dir, boolean jgenMalloc) throws IOException, InterruptedException {
        List<JsonObject> out = new ArrayList<>();
        for (String line : lines(command, dir, jgenMalloc)) {
            if (line.startsWith("{")) {
                out.add(JsonParser.parseString(line).getAsJsonObject());
            }
        }
        return out;
    }

    private static List<String> lines(List<String> command, Path dir) throws IOException, InterruptedException {
        return lines(command, dir, true);
    }

    /** The command's output lines; {@code jgenMalloc} false runs it without the malloc settings jgen's JVM got. */
    private static List<String> lines(List<String> command, Path dir, boolean jgenMalloc) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        if (!jgenMalloc) {
            builder.environment().keySet().removeIf(name -> name.startsWith("MALLOC_"));
        }
        builder.environment().put("OMP_NUM_THREADS", String.valueOf(threads()));
        builder.environment().put("JGEN_BENCH_THREADS", String.valueOf(threads()));
        builder.environment().put("JUPYTER_PATH", REPO.resolve("kernel/target/jupyter").toString());
        Process process = builder.start();
        List<String> out = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                out.add(line);
            }
        }
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + String.join("\n", out));
        }
        return out;
    }

    private static int threads() {
        return Integer.getInteger("ai.djl.pytorch.num_threads", 2);
    }

    private static String torchVersion() {
        try {
            List<String> out = lines(List.of("/usr/bin/python3", "-c", "import torch; print(torch.__version__)"), Path.of("."));
            return out.get(out.size() - 1).trim();
        } catch (IOException | InterruptedException | RuntimeException e) {
            return "(version unknown)";
        }
    }

    /** The CPU by name, family and model: figures from different CPUs are never compared. */
    static String machine() throws IOException {
        List<String> cpuinfo = Files.readAllLines(Path.of("/proc/cpuinfo"));
        String cpu = field(cpuinfo, "model name", "unknown CPU");
        return String.format("%s (cpu family %s, model %s; %d cores visible)", cpu, field(cpuinfo, "cpu family", "?"),
                field(cpuinfo, "model", "?"), Runtime.getRuntime().availableProcessors());
    }

    private static String field(List<String> cpuinfo, String name, String otherwise) {
        return cpuinfo.stream().filter(l -> l.startsWith(name) && l.substring(0, l.indexOf(':')).trim().equals(name)).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(otherwise);
    }

    private void line(String text) {
        System.out.println(text);
        report.append(text).append('\n');
    }

    /** Median and spread of repeated timings. */
    static final class Stats {
        final double median;
        final double min;
        final double max;

        Stats(double[] values) {
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
            min = sorted[0];
            max = sorted[n - 1];
        }

        static Stats of(List<Double> values) {
            return new Stats(values.stream().mapToDouble(Double::doubleValue).toArray());
        }

        @Override
        public String toString() {
            return String.format("%.2f [%.2f-%.2f]", median, min, max);
        }

        /** For large figures: whole numbers with thousands separators. */
        String rounded() {
            return String.format("%,.0f [%,.0f-%,.0f]", median, min, max);
        }
    }
}
