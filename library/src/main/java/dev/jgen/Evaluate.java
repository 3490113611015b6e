package dev.jgen;

import dev.jgen.data.Dataset;
import dev.jgen.eval.ImageFeatures;
import dev.jgen.eval.Mmd;
import dev.jgen.eval.SampleQuality;
import dev.jgen.eval.TableReport;
import dev.jgen.model.GenerativeModel;
import dev.jgen.model.ModelBase;
import dev.jgen.model.flow.Flow;
import dev.jgen.model.vae.Vae;
import dev.jgen.plot.Samples;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.jgen.model.Require.positive;

/**
 * How good is a model? {@code Evaluate.model(gan).on(test)} measures its samples against test data (FCD, KID,
 * precision and recall in a classifier's features for images; MMD for points), its likelihood where the family
 * defines one, its sampling time and size, and puts a real-data row beside them: the same metrics between
 * the test data and as many other real examples, the floor no model beats. {@code Evaluate.compare(vae, gan,
 * flow, dm).on(test)} makes one card of several models. {@code Evaluate.tables(train, synthetic)} reports on
 * synthetic table rows.
 */
public final class Evaluate {
    private Evaluate() {}

    /** One model's card: {@code Evaluate.model(gan).on(test.take(2000))} (samples as many as the examples). */
    public static Plan model(GenerativeModel model) {
        return new Plan(List.of(model));
    }

    /** One card comparing several models on the same data: {@code Evaluate.compare(vae, gan, dm).on(test.take(2000))}. */
    public static Plan compare(GenerativeModel... models) {
        if (models.length == 0) {
            throw new IllegalArgumentException("compare needs at least one model");
        }
        return new Plan(List.of(models));
    }

    /**
     * Synthetic rows against the real rows a model learned from: column shapes, pair trends and an overall quality
     * score; add {@code .holdout(test)} for privacy (distance to the closest record) and machine-learning efficacy,
     * {@code .target(column)} to choose what the efficacy classifier predicts.
     */
    public static TableReport tables(Table real, Table synthetic) {
        return new TableReport(real, synthetic);
    }

    /** {@code tables(real, synthetic).holdout(holdout)}. */
    public static TableReport tables(Table real, Table synthetic, Table holdout) {
        return tables(real, synthetic).holdout(holdout);
    }

    /** What to evaluate and how; {@link #on} measures. */
    public static final class Plan {
        /** Examples per side: enough for stable FCD and KID in 128 features, and a card in about a minute on 2 cores. */
        private static final int DEFAULT_SAMPLES = 1000;
        private static final int IMPORTANCE_SAMPLES = 50;
        private final List<GenerativeModel> models;
        private int samples = DEFAULT_SAMPLES;
        private Dataset reference;

        private Plan(List<GenerativeModel> models) {
            this.models = models;
        }

        /** How many samples each model draws, and test examples they are compared with (default 1,000). */
        public Plan samples(int n) {
            positive("samples(n)", n);
            this.samples = n;
            return this;
        }

        /**
         * Real data other than the test set: the floor row's examples and, when labelled, what the feature
         * classifier learns from. Default: the data the first model was fit on in this session.
         */
        public Plan reference(Dataset realData) {
            this.reference = realData;
            return this;
        }

        public Evaluation on(Dataset test) {
            int n = Math.min(samples, test.size());
            Dataset realData = reference != null ? reference : models.get(0) instanceof ModelBase base ? base.trainingData() : null;
            Dataset compared = test.shuffle(0).take(n);
            Dataset floor;
            String floorNote;
            if (realData != null) {
                floor = realData.shuffle(1).take(Math.min(n, realData.size()));
                floorNote = "real data row: " + floor.size() + " examples of " + realData.name() + " against the same test examples";
            } else {
                Dataset[] halves = test.shuffle(0).split(0.5);
                compared = halves[0].take(Math.min(n, halves[0].size()));
                floor = halves[1].take(Math.min(n, halves[1].size()));
                floorNote = "real data row: the other half of " + test.name() + " (no training data known: pass .reference(trainingData))";
            }
            List<String> notes = new ArrayList<>();
            List<Evaluation.Row> rows = new ArrayList<>();
            Map<String, Integer> seen = new HashMap<>();
            if (test.isImage()) {
                ImageFeatures features = ImageFeatures.forData(realData != null && realData.hasLabels() ? realData : test);
                float[] real = features.of(compared.toFloatArray());
                for (GenerativeModel model : models) {
                    Measured measured = measure(model, compared.size(), test);
                    Map<String, Double> metrics = new LinkedHashMap<>(SampleQuality.between(real, features.of(measured.samples().values()), features.dim()));
                    metrics.putAll(likelihoods(model, compared));
                    metrics.putAll(measured.costs());
                    rows.add(new Evaluation.Row(name(model, seen), metrics, measured.samples().take(16)));
                }
                rows.add(new Evaluation.Row(Evaluation.REAL_DATA, SampleQuality.between(real, features.of(floor.toFloatArray()), features.dim()), null));
                notes.add("features: " + features.description());
            } else {
                int dim = test.features();
                float[] real = compared.toFloatArray();
                for (GenerativeModel model : models) {
                    Measured measured = measure(model, compared.size(), test);
                    Map<String, Double> metrics = new LinkedHashMap<>();
                    metrics.put("mmd", Mmd.squared(real, measured.samples().values(), dim));
                    metrics.putAll(likelihoods(model, compared));
                    metrics.putAll(measured.costs());
                    rows.add(new Evaluation.Row(name(model, seen), metrics, null));
                }
                rows.add(new Evaluation.Row(Evaluation.REAL_DATA, Map.of("mmd", Mmd.squared(real, floor.toFloatArray(), dim)), null));
                notes.add("mmd: squared maximum mean discrepancy with a multi-scale Gaussian kernel");
            }
            notes.add(compared.size() + " samples per model against " + compared.size() + " examples of " + test.name() + "; " + floorNote);
            notes.add("likelihoods in nats per example (higher is better): the VAE's are lower bounds (ELBO, importance-weighted with "
                    + IMPORTANCE_SAMPLES + " samples) of a Bernoulli model of pixels, the flow's exact for dequantised data: compare within a family");
            String title = models.size() == 1 ? "Evaluation of " + rows.get(0).name() + " on " + test.name() : "Comparison on " + test.name();
            return new Evaluation(title, rows, notes);
        }

        private record Measured(Samples samples, Map<String, Double> costs) {}

        private Measured measure(GenerativeModel model, int n, Dataset test) {
            long start = System.nanoTime();
            if (!(model.sample(1) instanceof Samples)) {
                throw new IllegalArgumentException(model.getClass().getSimpleName() + " writes text, and Evaluate compares models of "
                        + "images and points: measure a text model by its bits per character on held-out text, lm.bitsPerChar(heldOut).");
            }
            Samples samples = (Samples) model.sample(n);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (!samples.shape().slice(1).equals(test.isImage() ? test.exampleShape() : new ai.djl.ndarray.types.Shape(test.features()))) {
                throw new IllegalArgumentException(model.getClass().getSimpleName() + " makes examples of shape " + samples.shape().slice(1)
                        + ", but " + test.name() + " has examples of shape " + test.exampleShape() + ": evaluate it on data like its own");
            }
            Map<String, Double> costs = new LinkedHashMap<>();
            costs.put("sample_ms", 1000 * seconds / n);
            if (model instanceof ModelBase base) {
                costs.put("parameters", (double) base.parameterCount());
                double trained = Arrays.stream(model.history().epochSeconds()).sum();
                costs.put("train_s", trained);
            }
            return new Measured(samples, costs);
        }

        private Map<String, Double> likelihoods(GenerativeModel model, Dataset examples) {
            Map<String, Double> metrics = new LinkedHashMap<>();
            if (model instanceof Vae vae) {
                metrics.put("elbo", vae.elbo(examples));
                metrics.put("iwae", vae.importanceWeightedBound(examples, IMPORTANCE_SAMPLES));
            } else if (model instanceof Flow flow) {
                metrics.put("log_likelihood", flow.logProb(examples));
                if (examples.isImage()) {
                    metrics.put("bits_per_dim", flow.bitsPerDim(examples));
                }
            }
            return metrics;
        }

        /** The family's name, numbered when a comparison has two of one family. */
        private static String name(GenerativeModel model, Map<String, Integer> seen) {
            String family = model.getClass().getSimpleName();
            int count = seen.merge(family, 1, Integer::sum);
            return count == 1 ? family : family + " " + count;
        }
    }
}
