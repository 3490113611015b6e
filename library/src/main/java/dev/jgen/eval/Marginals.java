package dev.jgen.eval;

import dev.jgen.plot.Charts;
import dev.jgen.plot.Figure;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.columns.Column;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One column's distribution in real and synthetic rows, overlaid: histograms for numbers, bars for categories. */
public final class Marginals {
    private static final int BINS = 20;
    /** Categories beyond these, by real frequency, are drawn together as "other". */
    private static final int MOST_CATEGORIES = 12;
    static final String MISSING = "(missing)";

    private Marginals() {}

    public static Figure of(Column<?> real, Column<?> synthetic) {
        if (real instanceof NumericColumn<?> r && synthetic instanceof NumericColumn<?> s) {
            Map<String, double[]> series = new LinkedHashMap<>();
            series.put("real", TableMetrics.values(r));
            series.put("synthetic", TableMetrics.values(s));
            return Charts.histograms(real.name(), series, BINS);
        }
        Map<String, Double> realShares = TableMetrics.shares(real);
        Map<String, Double> syntheticShares = TableMetrics.shares(synthetic);
        Set<String> categories = new LinkedHashSet<>();
        realShares.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue(), a.getValue())).forEach(e -> categories.add(e.getKey()));
        syntheticShares.keySet().forEach(categories::add);
        List<String> shown = new ArrayList<>(categories).subList(0, Math.min(MOST_CATEGORIES, categories.size()));
        List<String> labels = new ArrayList<>(shown);
        if (categories.size() > shown.size()) {
            labels.add("other");
        }
        Map<String, List<Double>> bars = new LinkedHashMap<>();
        bars.put("real", heights(realShares, shown, labels.size()));
        bars.put("synthetic", heights(syntheticShares, shown, labels.size()));
        return Charts.bars(real.name(), labels, bars);
    }

    private static List<Double> heights(Map<String, Double> shares, List<String> shown, int count) {
        List<Double> heights = new ArrayList<>();
        double rest = 1;
        for (String category : shown) {
            double share = shares.getOrDefault(category, 0.0);
            heights.add(share);
            rest -= share;
        }
        if (count > shown.size()) {
            heights.add(Math.max(0, rest));
        }
        return heights;
    }
}
