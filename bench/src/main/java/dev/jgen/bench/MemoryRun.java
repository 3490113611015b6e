package dev.jgen.bench;

import dev.jgen.Gen;
import dev.jgen.data.Dataset;
import dev.jgen.data.Datasets;
import dev.jgen.model.vae.Vae;
import dev.jgen.train.Fit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs in its own JVM: the default VAE for N epochs on Fashion-MNIST, printing "epoch RSS-in-KiB" after each. */
public final class MemoryRun {
    private MemoryRun() {}

    public static void main(String[] args) throws IOException {
        int epochs = Integer.parseInt(args[0]);
        Gen.seed(0);
        Dataset train = Datasets.fashionMnist();
        Vae vae = Gen.vae().build();
        for (int e = 1; e <= epochs; e++) {
            vae.fit(train, Fit.epochs(1).quiet());
            System.gc();
            System.out.println(e + " " + residentKiB());
        }
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
