package dev.jgen.spark;

import dev.jgen.Gen;
import dev.jgen.data.Tables;
import dev.jgen.model.tabular.TableModel;
import dev.jgen.train.Fit;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What one partition writes, without a cluster: its share of the rows, the same whether partitions run one by one or at once. */
class SampleRowsTest {
    private static final int PARTITIONS = 4;

    @Test
    void partitionsSampledAtOnceInOneJvmWriteWhatTheyWriteAlone() throws Exception {
        Gen.seed(2);
        TableModel model = Gen.tabular().build();
        model.fit(Tables.creditG(), Fit.epochs(5).batchSize(200).quiet());
        // 45,003 rows: uneven shares, and more than one chunk in each partition.
        SampleRows plan = SampleRows.plan(model, 45_003, PARTITIONS, 9);
        assertEquals(45_003, plan.count(0) + plan.count(1) + plan.count(2) + plan.count(3));
        assertEquals(11_251, plan.count(0));
        assertEquals(11_250, plan.count(3));

        List<List<Row>> alone = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            alone.add(collect(plan, model, p));
        }
        // Executors with several cores run tasks of one job on one loaded model at the same time.
        ExecutorService threads = Executors.newFixedThreadPool(PARTITIONS);
        try {
            List<Future<List<Row>>> atOnce = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                int partition = p;
                atOnce.add(threads.submit(() -> collect(plan, model, partition)));
            }
            for (int p = 0; p < PARTITIONS; p++) {
                assertEquals(alone.get(p), atOnce.get(p).get(), "partition " + p);
            }
        } finally {
            threads.shutdown();
        }
        Row first = alone.get(2).get(0);
        assertEquals(2, first.getInt(0));
        assertEquals(0L, first.getLong(1));
        assertEquals(plan.count(2) - 1, alone.get(2).get(alone.get(2).size() - 1).getLong(1));
        assertTrue(!alone.get(0).get(0).equals(alone.get(1).get(0)), "partitions draw different rows");
    }

    @Test
    void aColumnNamedLikeTheRowKeysIsRefusedBeforeAnyJob() {
        TableModel model = Gen.tabular().build();
        model.fit(Tables.creditG().copy().setName("credit").selectColumns("age", "class").addColumns(
                tech.tablesaw.api.IntColumn.indexColumn(SparkGen.ROW, 1000, 0)), Fit.epochs(1).quiet());
        IllegalArgumentException clash = assertThrows(IllegalArgumentException.class, () -> SampleRows.plan(model, 10, 1, 0).schema());
        assertTrue(clash.getMessage().contains("\"_row\"") && clash.getMessage().contains("rename"), clash.getMessage());
    }

    private static List<Row> collect(SampleRows plan, TableModel model, int partition) {
        List<Row> rows = new ArrayList<>();
        plan.rows(model, partition).forEachRemaining(rows::add);
        return rows;
    }
}
