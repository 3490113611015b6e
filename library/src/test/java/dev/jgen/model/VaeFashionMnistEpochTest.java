package dev.jgen.model;

import dev.jgen.Gen;
import dev.jgen.data.Dataset;
import dev.jgen.data.Datasets;
import dev.jgen.model.vae.Vae;
import dev.jgen.train.Fit;
import dev.jgen.train.History;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The acceptance figure of the README: one epoch of the default MLP VAE on all 60,000 images. */
class VaeFashionMnistEpochTest {
    @Test
    void oneEpochOfTheDefaultVaeReachesPyTorchQuality() {
        Dataset train = Datasets.fashionMnist();
        Gen.seed(42);
        Vae vae = Gen.vae().latent(16).hidden(512, 256).build();
        long start = System.nanoTime();
        History h = vae.fit(train, Fit.epochs(1).batchSize(128).lr(1e-3).quiet());
        double seconds = (System.nanoTime() - start) / 1e9;
        double meanLoss = h.lastEpoch("loss");
        System.out.printf("default MLP VAE, 1 epoch of Fashion-MNIST: mean training loss %.1f nats/example in %.1f s%n",
                meanLoss, seconds);
        assertTrue(meanLoss <= 290, "mean training loss " + meanLoss + " > 290 nats");
    }
}
