package dev.jgen.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How generated examples compare with real ones in a feature space: the Fréchet distance, KID (mean and
 * standard deviation over subsets), precision and recall; by metric name, as cards and training logs show them.
 */
public final class SampleQuality {
    private SampleQuality() {}

    /** Metric name to value for features as rows of {@code dim}: "fcd", "kid", "kid_std", "precision", "recall". */
    public static Map<String, Double> between(float[] real, float[] generated, int dim) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("fcd", FrechetDistance.between(real, generated, dim));
        Kid.Estimate kid = Kid.overSubsets(real, generated, dim);
        metrics.put("kid", kid.mean());
        metrics.put("kid_std", kid.std());
        PrecisionRecall pr = PrecisionRecall.of(real, generated, dim);
        metrics.put("precision", pr.precision());
        metrics.put("recall", pr.recall());
        return metrics;
    }
}
