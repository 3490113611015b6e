package dev.jgen.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.jgen.Gen;
import dev.jgen.data.Dataset;
import dev.jgen.data.Datasets;
import dev.jgen.model.vae.Vae;
import dev.jgen.nn.Backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a training step's time goes. For the VAE: jgen's step (one fused native call for back-propagation
 * and Adam) against DJL's backward and DJL's Adam per parameter (both {@link HandWrittenLoops#vae}), in
 * alternating segments, and the VAE's own matrix multiplies timed alone, the floor at this batch size. For
 * every workload: libtorch's profiler over jgen's steps, operators ranked by self time.
 * Usage: {@code install/bench profile [vae|dcgan|diffusion] [steps per segment]}.
 */
final class StepProfile {
    private static final int BATCH = 128;
    private static final int SEGMENTS = 6;
    /** The default VAE's dense layers, encoder then decoder: (inputs, outputs). */
    private static final int[][] VAE_LAYERS = {{784, 512}, {512, 256}, {256, 32}, {16, 256}, {256, 512}, {512, 784}};

    private StepProfile() {}

    static void run(String workload, int steps) throws IOException {
        Gen.seed(0);
        Dataset data = Datasets.fashionMnist();
        if (!workload.equals("vae")) {
            HandWrittenLoops.Loop<?> loop = switch (workload) {
                case "dcgan" -> HandWrittenLoops.dcgan(data);
                case "diffusion" -> HandWrittenLoops.diffusion(data);
                default -> throw new IllegalArgumentException("install/bench profile: unknown workload '" + workload
                        + "'; use vae, dcgan or diffusion");
            };
            loop.train(5); // untimed: builds the network and warms libtorch's kernels
            double[] perStep = new double[SEGMENTS];
            for (int i = 0; i < SEGMENTS; i++) {
                perStep[i] = 1e3 * loop.train(steps) / steps;
            }
            System.out.printf("%s training steps with jgen's Adam, %s: %s ms per step, medians of %d segments of %d steps [min-max]%n%n",
                    workload, Bench.machine(), new Bench.Stats(perStep), SEGMENTS, steps);
            profile(loop, Math.min(steps, 20));
            return;
        }
        HandWrittenLoops.Loop<Vae> fused = HandWrittenLoops.vae(data, true);
        HandWrittenLoops.Loop<Vae> perParameter = HandWrittenLoops.vae(data, false);
        fused.train(20); // untimed: builds the networks and warms both paths
        perParameter.train(20);
        double[] jgen = new double[SEGMENTS];
        double[] replaced = new double[SEGMENTS];
        double[] ratios = new double[SEGMENTS];
        for (int i = 0; i < SEGMENTS; i++) {
            jgen[i] = 1e3 * fused.train(steps) / steps;
            replaced[i] = 1e3 * perParameter.train(steps) / steps;
            ratios[i] = jgen[i] / replaced[i];
        }
        double gflops = vaeMatmulGflops();
        double stepFlops = 0;
        for (int[] layer : VAE_LAYERS) {
            stepFlops += 3 * 2.0 * BATCH * layer[0] * layer[1];
        }
        System.out.printf("VAE training steps, batch %d, %s; medians of %d alternating segments of %d steps [min-max]%n%n",
                BATCH, Bench.machine(), SEGMENTS, steps);
        System.out.println("| | ms per step |");
        System.out.println("|---|---|");
        System.out.printf("| jgen: back-propagation and Adam in one fused native call | %s |%n", new Bench.Stats(jgen));
        System.out.printf("| DJL's backward, then DJL's Adam per parameter | %s |%n", new Bench.Stats(replaced));
        System.out.printf("| ratio | %s |%n", new Bench.Stats(ratios));
        System.out.printf("| the step's matrix multiplies alone, at its own shapes (%.0f GFLOP/s) | %.2f |%n%n", gflops, stepFlops / gflops / 1e6);

        profile(fused, Math.min(steps, 50));
    }

    private static void profile(HandWrittenLoops.Loop<?> loop, int steps) throws IOException {
        Path trace = Files.createTempFile("jgen-profile", ".json");
        JniUtils.startProfile(false, false, false);
        loop.train(steps);
        JniUtils.stopProfile(trace.toString());
        printSelfTimes(trace, steps);
        Files.delete(trace);
    }

    /**
     * GFLOP/s of the default VAE's matrix multiplies at batch 128, alone: each dense layer's forward product and
     * its two backward products (the input's gradient, the weight's), best of 3 rounds.
     */
    static double vaeMatmulGflops() {
        Backend.inferenceMode();
        double best = 0;
        try (NDManager m = Backend.newManager()) {
            List<NDArray[]> products = new ArrayList<>();
            double flops = 0;
            for (int[] layer : VAE_LAYERS) {
                NDArray input = m.randomNormal(new Shape(BATCH, layer[0]));
                NDArray weight = m.randomNormal(new Shape(layer[0], layer[1]));
                NDArray outputGradient = m.randomNormal(new Shape(BATCH, layer[1]));
                products.add(new NDArray[] {input, weight});
                products.add(new NDArray[] {outputGradient, weight.transpose()});
                products.add(new NDArray[] {input.transpose(), outputGradient});
                flops += 3 * 2.0 * BATCH * layer[0] * layer[1];
            }
            for (int round = 0; round < 3; round++) {
                int repeats = 200;
                long start = System.nanoTime();
                for (int r = 0; r < repeats; r++) {
                    for (NDArray[] ab : products) {
                        ab[0].matMul(ab[1]).close();
                    }
                }
                best = Math.max(best, flops * repeats / ((System.nanoTime() - start) / 1e9) / 1e9);
            }
        }
        return best;
    }

    /** The trace's complete events per thread, nested by time; an operator's self time excludes its children. */
    private static void printSelfTimes(Path trace, int steps) throws IOException {
        JsonElement root = JsonParser.parseString(Files.readString(trace));
        JsonArray events = root.isJsonArray() ? root.getAsJsonArray() : root.getAsJsonObject().getAsJsonArray("traceEvents");
        Map<String, List<double[]>> byThread = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (JsonElement e : events) {
            JsonObject o = e.getAsJsonObject();
            if (!o.has("ph") || !o.get("ph").getAsString().equals("X") || !o.has("dur")) {
                continue;
            }
            names.add(o.get("name").getAsString());
            byThread.computeIfAbsent(String.valueOf(o.get("tid")), k -> new ArrayList<>())
                    .add(new double[] {o.get("ts").getAsDouble(), o.get("dur").getAsDouble(), names.size() - 1});
        }
        Map<String, double[]> self = new HashMap<>(); // name -> {self us, calls}
        for (List<double[]> list : byThread.values()) {
            list.sort(Comparator.<double[]>comparingDouble(a -> a[0]).thenComparingDouble(a -> -a[1]));
            List<double[]> open = new ArrayList<>(); // {end, index into list}
            double[] selfOf = new double[list.size()];
            for (int i = 0; i < list.size(); i++) {
                double[] ev = list.get(i);
                while (!open.isEmpty() && open.get(open.size() - 1)[0] <= ev[0]) {
                    open.remove(open.size() - 1);
                }
                selfOf[i] = ev[1];
                if (!open.isEmpty()) {
                    selfOf[(int) open.get(open.size() - 1)[1]] -= ev[1];
                }
                open.add(new double[] {ev[0] + ev[1], i});
            }
            for (int i = 0; i < list.size(); i++) {
                double[] acc = self.computeIfAbsent(names.get((int) list.get(i)[2]), k -> new double[2]);
                acc[0] += selfOf[i];
                acc[1]++;
            }
        }
        double all = self.values().stream().mapToDouble(a -> a[0]).sum();
        System.out.printf("libtorch's profiler over %d steps: %.2f ms of operator time per step%n%n", steps, all / 1e3 / steps);
        System.out.println("| operator | self ms per step | calls per step | share |");
        System.out.println("|---|---|---|---|");
        self.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0])).limit(40)
                .forEach(e -> System.out.printf("| %s | %.3f | %.1f | %.1f %% |%n", e.getKey(), e.getValue()[0] / 1e3 / steps,
                        e.getValue()[1] / steps, 100 * e.getValue()[0] / all));
    }
}
