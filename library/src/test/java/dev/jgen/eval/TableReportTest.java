package dev.jgen.eval;

import dev.jgen.Evaluate;
import dev.jgen.display.Rendered;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every measure of a table report on small hand-made tables whose answer is known. */
class TableReportTest {
    private static final double EXACT = 1e-9;

    private static Table table(String name, double[] x, double[] y, String[] colour) {
        return Table.create(name).addColumns(DoubleColumn.create("x", x), DoubleColumn.create("y", y), StringColumn.create("colour", colour));
    }

    @Test
    void identicalTablesScoreOneOnEveryShapeAndTrend() {
        Table real = table("real", new double[] {1, 2, 3, 4}, new double[] {2, 4, 5, 9}, new String[] {"red", "red", "blue", "green"});
        TableReport report = Evaluate.tables(real, real.copy());
        assertEquals(1, report.get("column_shapes"), EXACT);
        assertEquals(1, report.get("pair_trends"), EXACT);
        assertEquals(1, report.get("quality"), EXACT);
        assertTrue(Double.isNaN(report.get("dcr_synthetic")), "privacy needs held-out rows");
    }

    @Test
    void ksComplementIsOneMinusTheLargestGapBetweenTheCumulativeDistributions() {
        assertEquals(0, TableMetrics.ksComplement(new double[] {1, 2, 3}, new double[] {10, 11, 12}), EXACT, "disjoint");
        // {1,2,3,4} against {3,4,5,6}: the distributions differ by at most 2/4 (at 2 and at 4).
        assertEquals(0.5, TableMetrics.ksComplement(new double[] {1, 2, 3, 4}, new double[] {3, 4, 5, 6}), EXACT);
        assertEquals(1, TableMetrics.ksComplement(new double[] {1, Double.NaN, 2}, new double[] {2, 1}), EXACT, "missing values are left out");
    }

    @Test
    void tvComplementIsOneMinusHalfTheSumOfShareDifferences() {
        assertEquals(0.5, TableMetrics.tvComplement(Map.of("a", 0.5, "b", 0.5), Map.of("a", 1.0)), EXACT);
        assertEquals(0.5, TableMetrics.tvComplement(Map.of("a", 0.5, "b", 0.5), Map.of("a", 0.25, "b", 0.25, "c", 0.5)), EXACT);
        StringColumn colours = StringColumn.create("c", new String[] {"a", "a", "b", "b"});
        colours.appendMissing();
        colours.append("a");
        Map<String, Double> shares = TableMetrics.shares(colours);
        assertEquals(0.5, shares.get("a"), EXACT);
        assertEquals(1 / 6.0, shares.get(Marginals.MISSING), EXACT, "a missing value is a category of its own");
    }

    @Test
    void correlationSimilarityComparesTheSignedCorrelations() {
        double[] x = {1, 2, 3, 4, 5};
        assertEquals(1, TableMetrics.correlation(x, new double[] {2, 4, 6, 8, 10}), EXACT);
        assertEquals(-1, TableMetrics.correlation(x, new double[] {5, 4, 3, 2, 1}), EXACT);
        assertEquals(0, TableMetrics.correlationSimilarity(1, -1), EXACT);
        assertEquals(0.75, TableMetrics.correlationSimilarity(0.5, 0), EXACT);
        // A report on a table whose y runs the other way: the x-y trend scores 0.
        Table real = table("real", x, new double[] {2, 4, 6, 8, 10}, new String[] {"a", "a", "a", "a", "a"});
        Table flipped = table("flipped", x, new double[] {10, 8, 6, 4, 2}, new String[] {"a", "a", "a", "a", "a"});
        Table trends = Evaluate.tables(real, flipped).pairTrends();
        assertEquals("correlation similarity", trends.stringColumn("measure").get(0));
        assertEquals(0, trends.doubleColumn("score").get(0), EXACT);
        assertEquals(1, Evaluate.tables(real, flipped).get("column_shapes"), EXACT, "the columns alone are the same");
    }

    @Test
    void contingencySimilarityComparesJointDistributions() {
        // Real: a always with x, b always with y. Synthetic: the pairs swapped, so every joint cell differs.
        String[] realA = {"a", "a", "b", "b"};
        String[] realB = {"x", "x", "y", "y"};
        assertEquals(0, TableMetrics.contingencySimilarity(realA, realB, realA, new String[] {"y", "y", "x", "x"}), EXACT);
        assertEquals(1, TableMetrics.contingencySimilarity(realA, realB, new String[] {"b", "a"}, new String[] {"y", "x"}), EXACT);
        // Half of the synthetic rows in a cell real rows never use: half the mass is misplaced.
        assertEquals(0.5, TableMetrics.contingencySimilarity(realA, realB, realA, new String[] {"x", "y", "y", "x"}), EXACT);
    }

    @Test
    void distanceToTheClosestRecordIsZeroForCopiesAndGrowsWithTheGap() {
        Table real = table("real", new double[] {0, 10}, new double[] {0, 10}, new String[] {"a", "b"});
        Table rows = table("rows", new double[] {0, 5, 0}, new double[] {0, 5, 0}, new String[] {"a", "a", "b"});
        double[] distances = TableMetrics.distancesToClosest(rows, real);
        assertEquals(0, distances[0], EXACT, "an exact copy");
        // (0.5 + 0.5 + 0) / 3 to the first real row.
        assertEquals(1 / 3.0, distances[1], EXACT);
        assertEquals(1 / 3.0, distances[2], EXACT, "only the category differs");
        assertEquals(1 / 3.0, TableMetrics.shareOfZeros(distances), EXACT);

        TableReport report = Evaluate.tables(real, rows, table("held out", new double[] {10}, new double[] {10}, new String[] {"b"}));
        assertEquals(1 / 3.0, report.get("exact_copies"), EXACT);
        assertEquals(1, report.get("exact_copies_holdout"), EXACT);
        assertEquals(1 / 3.0, report.get("dcr_synthetic"), EXACT);
        assertEquals(0, report.get("dcr_holdout"), EXACT);
    }

    @Test
    void efficacyIsPerfectWhereTheTargetFollowsAFeatureAndChanceWhereItIsReversed() {
        int n = 200;
        double[] x = new double[n];
        String[] label = new String[n];
        String[] reversed = new String[n];
        for (int i = 0; i < n; i++) {
            x[i] = i % 2 == 0 ? -1 - i % 7 : 1 + i % 5;
            label[i] = x[i] > 0 ? "high" : "low";
            reversed[i] = x[i] > 0 ? "low" : "high";
        }
        Table real = Table.create("real").addColumns(DoubleColumn.create("x", x), StringColumn.create("label", label));
        Table wrong = Table.create("wrong").addColumns(DoubleColumn.create("x", x), StringColumn.create("label", reversed));
        TableReport good = Evaluate.tables(real, real.copy(), real.copy());
        assertEquals(1, good.get("efficacy_real"), EXACT);
        assertEquals(1, good.get("efficacy_synthetic"), EXACT);
        assertEquals(0, Evaluate.tables(real, wrong, real.copy()).get("efficacy_synthetic"), EXACT,
                "a classifier that learned the reverse is wrong on every held-out row");
    }

    @Test
    void columnsAreMatchedByNameAndMismatchesAreExplained() {
        Table real = table("real", new double[] {1, 2}, new double[] {3, 4}, new String[] {"a", "b"});
        Table reordered = Table.create("s").addColumns(StringColumn.create("colour", new String[] {"a", "b"}),
                DoubleColumn.create("y", new double[] {3, 4}), DoubleColumn.create("x", new double[] {1, 2}));
        assertEquals(1, Evaluate.tables(real, reordered).get("quality"), EXACT);
        Table lacking = Table.create("s").addColumns(DoubleColumn.create("x", new double[] {1, 2}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Evaluate.tables(real, lacking));
        assertTrue(e.getMessage().contains("[y, colour]"), e.getMessage());
        Table typed = Table.create("s").addColumns(DoubleColumn.create("x", new double[] {1, 2}), DoubleColumn.create("y", new double[] {1, 2}),
                IntColumn.create("colour", new int[] {1, 2}));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Evaluate.tables(real, typed)).getMessage().contains("\"colour\""));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Evaluate.tables(real, real).get("fid")).getMessage().contains("quality"));
    }

    @Test
    void rendersTablesAndPlots() {
        Table real = table("real", new double[] {1, 2, 3, 4}, new double[] {2, 4, 5, 9}, new String[] {"red", "red", "blue", "green"});
        Rendered view = Evaluate.tables(real, real.copy(), real.copy()).render();
        String html = (String) view.data().get(Rendered.HTML);
        assertTrue(html.contains("quality") && html.contains("column shapes"), html.substring(0, 200));
        assertTrue(html.split("data:image/png;base64,").length - 1 >= 5, "two heatmaps and three marginals");
        assertEquals(2, Evaluate.tables(real, real.copy()).correlations().size());
        Map<String, TableReport> reports = new java.util.LinkedHashMap<>();
        reports.put("same", Evaluate.tables(real, real.copy()));
        reports.put("reversed", Evaluate.tables(real, table("r", new double[] {4, 3, 2, 1}, new double[] {2, 4, 5, 9}, new String[] {"red", "red", "blue", "green"})));
        Table side = TableReport.sideBySide(reports);
        assertEquals(List.of("metric", "same", "reversed", "meaning"), side.columnNames());
        assertEquals(1, side.doubleColumn("same").get(0), EXACT);
        assertTrue(side.doubleColumn("reversed").get(0) < 1, "quality falls when x runs the other way");
    }
}
