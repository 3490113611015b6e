package dev.jgen.model.tabular;

import dev.jgen.Evaluate;
import dev.jgen.Gen;
import dev.jgen.data.Datasets;
import dev.jgen.data.Tables;
import dev.jgen.display.Rendered;
import dev.jgen.eval.TableReport;
import dev.jgen.model.GenerativeModel;
import dev.jgen.train.Fit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The table models on real tables: credit-g customers (80 % to train, 20 % held out) with the default TVAE
 * against the Gaussian copula and columns sampled alone; penguins (missing values) for conditioning, gaps, the
 * CTGAN and checkpoints.
 */
class TableModelTest {
    /** Synthetic rows per report: enough that the synthetic side's own noise is small next to the models' differences. */
    private static final int ROWS = 5000;
    private static Table train;
    private static Table heldOut;
    private static TableModel tvae;
    private static TableReport tvaeReport;
    private static TableReport copulaReport;
    private static TableReport independentReport;
    private static Table penguins;
    private static TableModel penguinModel;

    @BeforeAll
    static void fitCreditAndPenguins() {
        Gen.seed(11);
        Table[] parts = Tables.split(Tables.creditG(), 0.8, 1);
        train = parts[0];
        heldOut = parts[1];
        tvae = Gen.tabular().build();
        tvae.fit(train, Fit.epochs(300).batchSize(200).quiet());
        tvaeReport = Evaluate.tables(train, tvae.sample(ROWS), heldOut);
        TableModel copula = Gen.tabular().copula().build();
        copula.fit(train, Fit.defaults().quiet());
        copulaReport = Evaluate.tables(train, copula.sample(ROWS), heldOut);
        independentReport = Evaluate.tables(train, columnsSampledAlone(train, ROWS, new Random(5)), heldOut);
        System.out.printf("credit-g, %d synthetic rows: %s%ncopula: %s%nindependent columns: %s%n", ROWS, tvaeReport, copulaReport, independentReport);

        penguins = Tables.penguins();
        penguinModel = Gen.tabular().build();
        penguinModel.fit(penguins, Fit.epochs(150).batchSize(64).quiet());
    }

    /** Each column drawn on its own from the real column's values: every marginal kept, every relation lost. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Table columnsSampledAlone(Table real, int n, Random random) {
        Table out = Table.create("independent columns");
        for (Column column : real.columns()) {
            Column copy = column.emptyCopy();
            for (int i = 0; i < n; i++) {
                copy.append(column, random.nextInt(real.rowCount()));
            }
            out.addColumns(copy);
        }
        return out;
    }

    @Test
    void theTvaeKeepsPairTrendsBetterThanColumnsSampledAloneAndTheCopula() {
        double tvaeTrends = tvaeReport.get("pair_trends");
        assertTrue(tvaeTrends > independentReport.get("pair_trends") + 0.005,
                "TVAE " + tvaeTrends + " against independent columns " + independentReport.get("pair_trends"));
        assertTrue(tvaeTrends > copulaReport.get("pair_trends") + 0.002, "TVAE " + tvaeTrends + " against the copula " + copulaReport.get("pair_trends"));
        // The copula keeps each column's distribution almost exactly; the TVAE comes close.
        assertTrue(tvaeReport.get("column_shapes") > 0.96, tvaeReport.toString());
    }

    @Test
    void noMoreExactCopiesOfTrainingRowsThanHeldOutRowsShow() {
        assertTrue(tvaeReport.get("exact_copies") <= tvaeReport.get("exact_copies_holdout") + 0.002, tvaeReport.toString());
        // Synthetic rows are, at the median, no closer to a training row than new real customers are.
        assertTrue(tvaeReport.get("dcr_synthetic") > 0.8 * tvaeReport.get("dcr_holdout"), tvaeReport.toString());
    }

    @Test
    void aSeedAloneFixesTheRowsAndFeaturesAreTheSameEveryTime() {
        Table first = tvae.sample(300, 42);
        tvae.sample(77); // what was sampled in between changes nothing
        Table again = tvae.sample(300, 42);
        assertEquals(first.print(300), again.print(300));
        assertTrue(!first.print(300).equals(tvae.sample(300, 43).print(300)), "another seed, other rows");

        TableEncoding encoding = tvae.encoding();
        float[] features = encoding.features(first);
        assertEquals(300 * encoding.featureWidth(), features.length);
        org.junit.jupiter.api.Assertions.assertArrayEquals(features, encoding.features(again));
        // Every categorical column is one-hot: its slots sum to one per row; numbers are standardised, most within 4.
        double total = 0;
        for (float f : features) {
            total += Math.abs(f);
        }
        assertTrue(total / 300 > encoding.columns().stream().filter(c -> !c.moded()).count(), "one-hot slots and numbers: " + total / 300);
        for (float f : features) {
            assertTrue(Math.abs(f) < 12, "a standardised feature " + f);
        }
    }

    @Test
    void typesCategoriesAndRangesSurvive() {
        Table synthetic = tvae.sample(2000);
        assertEquals(train.columnNames(), synthetic.columnNames());
        for (Column<?> real : train.columns()) {
            Column<?> made = synthetic.column(real.name());
            assertEquals(real.type(), made.type(), real.name());
            if (real instanceof NumericColumn<?> numbers) {
                NumericColumn<?> values = (NumericColumn<?>) made;
                assertTrue(values.min() >= numbers.min() && values.max() <= numbers.max(), real.name() + " stays in the seen range");
            } else {
                Set<String> seen = new HashSet<>(real.asSet().stream().map(Object::toString).toList());
                for (int r = 0; r < made.size(); r++) {
                    assertTrue(seen.contains(made.getString(r)), real.name() + ": " + made.getString(r));
                }
            }
        }
        assertEquals(ColumnType.INTEGER, synthetic.column("credit_amount").type(), "whole numbers stay whole");
    }

    @Test
    void missingValueRatesSurvive() {
        Table synthetic = penguinModel.sample(3000);
        for (String column : new String[] {"sex", "bill_length_mm", "body_mass_g"}) {
            double real = penguins.column(column).countMissing() / (double) penguins.rowCount();
            double made = synthetic.column(column).countMissing() / (double) synthetic.rowCount();
            assertTrue(Math.abs(real - made) < 0.02, column + ": " + real + " real, " + made + " synthetic");
        }
        assertTrue(synthetic.column("sex").countMissing() > 0, "gaps are learned, not dropped");
    }

    @Test
    void conditioningOnASpeciesGivesThatSpeciesOnly() {
        for (String species : new String[] {"Adelie", "Chinstrap", "Gentoo"}) {
            Table rows = penguinModel.sample(50, "species", species);
            assertEquals(50, rows.rowCount());
            assertEquals(Set.of(species), rows.stringColumn("species").asSet());
        }
        // Gentoo penguins are the heavy ones: conditioning keeps what goes with the species.
        double gentoo = penguinModel.sample(200, "species", "Gentoo").intColumn("body_mass_g").mean();
        double adelie = penguinModel.sample(200, "species", "Adelie").intColumn("body_mass_g").mean();
        assertTrue(gentoo > adelie + 600, "Gentoo " + gentoo + " g, Adelie " + adelie + " g");
    }

    @Test
    void theCtganLearnsAndConditionsThroughItsConditionalVector() {
        Gen.seed(3);
        TableModel gan = Gen.tabular().gan().build();
        gan.fit(penguins, Fit.epochs(60).batchSize(100).quiet());
        assertTrue(gan.history().metrics().containsAll(java.util.List.of("d_loss", "g_loss", "condition")));
        double[] condition = gan.history().metric("condition");
        assertTrue(condition[condition.length - 1] < condition[0], "the generator learns to honour its condition");
        Table rows = gan.sample(40, "island", "Dream");
        assertEquals(Set.of("Dream"), rows.stringColumn("island").asSet());
        assertEquals(penguins.columnNames(), gan.sample(10).columnNames());
    }

    @Test
    void saveAndLoadGiveTheSameModel(@TempDir Path dir) {
        penguinModel.save(dir.resolve("tvae"));
        GenerativeModel back = Gen.load(dir.resolve("tvae"));
        assertTrue(back instanceof TableModel);
        TableModel loaded = (TableModel) back;
        Gen.seed(5);
        String before = penguinModel.sample(20).print();
        Gen.seed(5);
        assertEquals(before, loaded.sample(20).print(), "same weights, same columns, same rows");
        assertEquals(penguinModel.history().steps(), loaded.history().steps());

        TableModel copula = Gen.tabular().copula().build();
        copula.fit(penguins, Fit.defaults().quiet());
        copula.save(dir.resolve("copula"));
        TableModel copulaBack = Gen.load(dir.resolve("copula"), TableModel.class);
        Gen.seed(6);
        String rows = copula.sample(10).print();
        Gen.seed(6);
        assertEquals(rows, copulaBack.sample(10).print());
        // Training goes on after a load.
        loaded.fit(penguins, Fit.epochs(1).quiet());
        assertEquals(penguinModel.history().steps() + 3, loaded.history().steps(), "344 rows in batches of 128");
    }

    @Test
    void theDashboardProbeShowsRowsAndMarginals() {
        Rendered view = penguinModel.probeSamples().render();
        String html = (String) view.data().get(Rendered.HTML);
        assertTrue(html.contains("species") && html.contains("<table>"), html.substring(0, 200));
        assertEquals(2, html.split("data:image/png").length - 1, "a numeric and a categorical column against the data");
    }

    @Test
    void mistakesAreExplained() {
        IllegalArgumentException dataset = assertThrows(IllegalArgumentException.class, () -> Gen.tabular().build().fit(Datasets.moons(100)));
        assertTrue(dataset.getMessage().contains("Tablesaw Table"), dataset.getMessage());
        IllegalArgumentException numeric = assertThrows(IllegalArgumentException.class, () -> penguinModel.sample(5, "bill_length_mm", "40"));
        assertTrue(numeric.getMessage().contains("holds numbers"), numeric.getMessage());
        IllegalArgumentException unseen = assertThrows(IllegalArgumentException.class, () -> penguinModel.sample(5, "species", "Emperor"));
        assertTrue(unseen.getMessage().contains("[Adelie, Gentoo, Chinstrap]"), unseen.getMessage());
        IllegalArgumentException columns = assertThrows(IllegalArgumentException.class,
                () -> penguinModel.fit(penguins.selectColumns("species", "island"), Fit.epochs(1).quiet()));
        assertTrue(columns.getMessage().contains("same columns"), columns.getMessage());
        IllegalStateException untrained = assertThrows(IllegalStateException.class, () -> Gen.tabular().build().sample(3));
        assertTrue(untrained.getMessage().contains("fit("), untrained.getMessage());
    }
}
