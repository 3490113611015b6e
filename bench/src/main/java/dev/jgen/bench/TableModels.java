package dev.jgen.bench;

import dev.jgen.Evaluate;
import dev.jgen.Gen;
import dev.jgen.data.Tables;
import dev.jgen.eval.TableReport;
import dev.jgen.model.tabular.TableBuilder;
import dev.jgen.model.tabular.TableModel;
import dev.jgen.train.Fit;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The table models on credit-g (800 customers to train, 200 held out): seconds to fit a fixed number of epochs,
 * seconds to sample 10,000 rows, and the report's quality, pair trends and median distance to the closest training
 * row (against the held-out rows' own) for those rows.
 */
final class TableModels {
    static final int EPOCHS = 300;
    static final int BATCH = 200;
    static final int ROWS = 10_000;

    record Measured(String model, List<Double> fitSeconds, List<Double> sampleSeconds, TableReport report) {}

    private TableModels() {}

    static List<Measured> measure(int repeats) {
        Table[] parts = Tables.split(Tables.creditG(), 0.8, 1);
        List<Measured> measured = new ArrayList<>();
        measured.add(measure("TVAE (default)", () -> Gen.tabular(), parts, repeats));
        measured.add(measure("CTGAN", () -> Gen.tabular().gan(), parts, repeats));
        measured.add(measure("Gaussian copula", () -> Gen.tabular().copula(), parts, repeats));
        return measured;
    }

    private static Measured measure(String name, Supplier<TableBuilder> builder, Table[] parts, int repeats) {
        List<Double> fits = new ArrayList<>();
        List<Double> samples = new ArrayList<>();
        Table rows = null;
        for (int r = 0; r < repeats; r++) {
            Gen.seed(r + 1);
            TableModel model = builder.get().build();
            long start = System.nanoTime();
            model.fit(parts[0], Fit.epochs(EPOCHS).batchSize(BATCH).quiet());
            fits.add((System.nanoTime() - start) / 1e9);
            start = System.nanoTime();
            rows = model.sample(ROWS);
            samples.add((System.nanoTime() - start) / 1e9);
        }
        return new Measured(name, fits, samples, Evaluate.tables(parts[0], rows, parts[1]));
    }
}
