package dev.jgen.bench;

import dev.jgen.Evaluate;
import dev.jgen.Evaluation;
import dev.jgen.Gen;
import dev.jgen.data.Dataset;
import dev.jgen.data.Datasets;
import dev.jgen.eval.ImageFeatures;
import dev.jgen.model.vae.Vae;
import dev.jgen.train.Fit;

/**
 * How long an evaluation card takes for all 10,000 Fashion-MNIST test images (a VAE trained one epoch, 10,000
 * samples): the feature classifier first (trained, or read from ~/.jgen/classifiers), then the card itself.
 * Runs inside {@code install/bench}, or alone: {@code java -cp ... dev.jgen.bench.EvaluationCost}.
 */
final class EvaluationCost {
    record Measured(double classifierSeconds, double cardSeconds, Evaluation card) {}

    private EvaluationCost() {}

    static Measured measure() {
        Dataset train = Datasets.fashionMnist();
        Dataset test = Datasets.fashionMnistTest();
        Gen.seed(1);
        Vae vae = Gen.vae().build();
        vae.fit(train, Fit.epochs(1).quiet());
        long start = System.nanoTime();
        ImageFeatures.forData(train);
        double classifier = (System.nanoTime() - start) / 1e9;
        start = System.nanoTime();
        Evaluation card = Evaluate.model(vae).samples(test.size()).on(test);
        return new Measured(classifier, (System.nanoTime() - start) / 1e9, card);
    }

    public static void main(String[] args) {
        Measured m = measure();
        System.out.println(m.card());
        System.out.printf("feature classifier ready in %.1f s; the card for %,d test images in %.1f s%n",
                m.classifierSeconds(), Datasets.fashionMnistTest().size(), m.cardSeconds());
    }
}
