package dev.jgen.spark;

import dev.jgen.eval.FeatureSums;
import dev.jgen.model.GenerativeModel;
import dev.jgen.model.tabular.TableEncoding;
import dev.jgen.model.tabular.TableModel;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import tech.tablesaw.api.Table;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A trained jgen model at cluster scale. Training stays on one machine (DJL has no multi-machine training); what
 * spreads over a Spark cluster is sampling and scoring with the trained model:
 * <pre>{@code
 * Dataset<Row> rows = SparkGen.sample(spark, tableModel, 10_000_000);     // rows typed like the table it learned
 * rows.write().parquet("synthetic.parquet");
 * Map<String, Double> card = SparkGen.score(tableModel, SparkGen.rows(spark, realTable), rows);   // fcd, kid, mmd
 * }</pre>
 * The model travels to the executors once per job (its saved folder, broadcast); partition {@code p} samples its
 * rows from the seed and {@code p} alone, so a task Spark runs again after losing an executor writes the same rows,
 * and every row carries its {@code _partition} and {@code _row} (its place in the partition) to tell them apart.
 */
public final class SparkGen {
    /** The key columns every sampled row starts with. */
    public static final String PARTITION = "_partition";
    public static final String ROW = "_row";

    private SparkGen() {}

    /** {@code n} samples in as many partitions as the cluster runs tasks at once, from seed 0. */
    public static Dataset<Row> sample(SparkSession spark, GenerativeModel model, long n) {
        return sample(spark, model, n, spark.sparkContext().defaultParallelism(), 0);
    }

    /**
     * {@code n} samples in {@code partitions} partitions from {@code seed}: rows of the learned columns for a table
     * model; a {@code values} array (and for images a {@code png}) for the image and point families.
     */
    public static Dataset<Row> sample(SparkSession spark, GenerativeModel model, long n, int partitions, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("sample: n must be at least 1, got " + n);
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("sample: partitions must be at least 1, got " + partitions);
        }
        SampleRows plan = SampleRows.plan(model, n, partitions, seed);
        StructType schema = plan.schema();
        Broadcast<ShippedModel> shipped = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(ShippedModel.of(model));
        JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(IntStream.range(0, partitions).boxed().toList(), partitions)
                .flatMap(partition -> plan.rows(shipped.value().model(), partition));
        return spark.createDataFrame(rows, schema);
    }

    /** A Tablesaw table (the real rows, say) as a DataFrame with the same columns and types. */
    public static Dataset<Row> rows(SparkSession spark, Table table) {
        return spark.createDataFrame(TableRows.toRows(table), TableRows.schema(table));
    }

    /**
     * Rows brought back to the notebook as a Tablesaw table (numbers, text and booleans; nulls missing): to look at,
     * plot or report on one machine. Every row comes to the driver: {@code limit} a large set first.
     */
    public static Table table(Dataset<Row> rows) {
        return TableRows.toTable(rows.schema(), rows.collectAsList());
    }

    /**
     * FCD, KID and MMD between {@code real} and {@code generated} rows in the features the table model's columns give
     * ({@link TableEncoding#features}): sums per partition, merged exactly, so the card equals the one computed on one
     * machine from all rows ({@link FeatureSums#card(float[], float[], int)}) up to rounding. Both sets need the model's
     * columns (others, such as the row keys, are ignored). Two passes over the real rows: the first sets MMD's bandwidth.
     */
    public static Map<String, Double> score(TableModel model, Dataset<Row> real, Dataset<Row> generated) {
        TableEncoding encoding = model.encoding();
        return score(real, generated, encoding.featureWidth(), new TableFeatures(encoding, real.schema()), new TableFeatures(encoding, generated.schema()));
    }

    /** The same card for rows that carry their own features: an array of floats or doubles in {@code featureColumn}. */
    public static Map<String, Double> score(Dataset<Row> real, Dataset<Row> generated, String featureColumn) {
        int dim = ArrayFeatures.width(real, featureColumn);
        return score(real, generated, dim, new ArrayFeatures(real.schema(), featureColumn, dim), new ArrayFeatures(generated.schema(), featureColumn, dim));
    }

    private static Map<String, Double> score(Dataset<Row> real, Dataset<Row> generated, int dim, RowFeatures realFeatures, RowFeatures generatedFeatures) {
        FeatureSums.requireWidth(dim);
        double bandwidth = sums(real, dim, 0, realFeatures).spread();
        return FeatureSums.card(sums(real, dim, bandwidth, realFeatures), sums(generated, dim, bandwidth, generatedFeatures));
    }

    private static FeatureSums sums(Dataset<Row> rows, int dim, double bandwidth, RowFeatures features) {
        return rows.javaRDD()
                .mapPartitions((Iterator<Row> partition) -> List.of(features.sums(partition, dim, bandwidth)).iterator())
                .treeReduce(FeatureSums::merge);
    }
}
