package dev.jgen.bench;

import dev.jgen.Gen;
import dev.jgen.data.Dataset;
import dev.jgen.data.Datasets;
import dev.jgen.data.Tables;
import dev.jgen.model.ModelBase;
import dev.jgen.model.tabular.TableModel;
import dev.jgen.train.Fit;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Runs in its own JVM: one family's default model trained for N rounds, printing "round resident heap-in-use"
 * (KiB, after a collection) after each.
 * A round is a Fashion-MNIST epoch for the VAE and a fixed number of steps for the slower families, enough for
 * every buffer the training keeps to have been allocated by the second round.
 * Usage: MemoryRun vae|gan|flow|diffusion|text|table rounds.
 */
public final class MemoryRun {
    private MemoryRun() {}

    /** One family's memory run: a description of its round, and what builds its data and model and returns one round of training. */
    record Family(String name, String round, Supplier<Runnable> trainer) {}

    static final Family[] FAMILIES = {
        new Family("vae", "one Fashion-MNIST epoch", () -> trainer(Datasets.fashionMnist(), Gen.vae().build(), Fit.epochs(1))),
        new Family("gan", "50 DCGAN steps of 64", () -> trainer(Datasets.fashionMnist(), Gen.gan().build(), Fit.steps(50).batchSize(64))),
        new Family("flow", "250 RealNVP steps of 256 on moons", () -> trainer(Datasets.moons(4000), Gen.flow().build(), Fit.steps(250).batchSize(256))),
        new Family("diffusion", "10 U-Net steps of 64", () -> trainer(Datasets.fashionMnist(), Gen.diffusion().build(), Fit.steps(10).batchSize(64))),
        new Family("text", "50 Transformer steps of 64 on the names", () -> trainer(Datasets.names(), Gen.text().build(), Fit.steps(50).batchSize(64))),
        new Family("table", "one TVAE epoch on credit-g", () -> {
            Table table = Tables.creditG();
            TableModel model = Gen.tabular().build();
            return () -> model.fit(table, Fit.epochs(1).quiet());
        }),
    };

    private static Runnable trainer(Dataset data, ModelBase model, Fit fit) {
        return () -> model.fit(data, fit.quiet());
    }

    public static void main(String[] args) throws IOException {
        Family family = family(args[0]);
        int rounds = Integer.parseInt(args[1]);
        Gen.seed(0);
        Runnable round = family.trainer().get();
        for (int r = 1; r <= rounds; r++) {
            round.run();
            System.gc();
            System.out.println(r + " " + residentKiB() + " " + ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1024);
        }
    }

    static Family family(String name) {
        for (Family f : FAMILIES) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("no family " + name);
    }

    static long residentKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("/proc/self/status has no VmRSS line");
    }
}
