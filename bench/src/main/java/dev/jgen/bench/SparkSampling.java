package dev.jgen.bench;

import dev.jgen.Gen;
import dev.jgen.data.Tables;
import dev.jgen.model.tabular.TableModel;
import dev.jgen.spark.SparkGen;
import dev.jgen.spark.StandaloneCluster;
import dev.jgen.train.Fit;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Synthetic credit-g rows per second: one JVM sampling into a Tablesaw table, and SparkGen writing Parquet from a
 * Spark session inside one JVM ({@code local[2]}, as notebook 10 runs it) and from a standalone cluster on this
 * machine with one and with two workers of one core each. Each Spark set-up samples a small job first, untimed: its
 * executors start and load the model once, as a long job's would.
 */
final class SparkSampling {
    static final int ROWS = 1_000_000;
    static final int LOCAL_ROWS = 200_000;
    static final int PARTITIONS = 8;

    private SparkSampling() {}

    /** Rows per second by set-up, {@code repeats} runs each. */
    static Map<String, List<Double>> measure(int repeats) throws IOException, InterruptedException {
        Gen.seed(1);
        TableModel model = Gen.tabular().build();
        model.fit(Tables.creditG(), Fit.epochs(100).batchSize(200).quiet());
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        model.sample(LOCAL_ROWS / 10, 0);
        List<Double> oneJvm = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            long start = System.nanoTime();
            model.sample(LOCAL_ROWS, r);
            oneJvm.add(LOCAL_ROWS / ((System.nanoTime() - start) / 1e9));
        }
        rates.put("one JVM, TableModel.sample (no file)", oneJvm);

        Path out = Files.createTempDirectory("jgen-bench-spark");
        SparkSession local = SparkSession.builder().appName("jgen bench").master("local[2]")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false").getOrCreate();
        rates.put("Spark local[2] in one JVM, to Parquet", timedJobs(local, model, repeats, out));
        local.stop();

        for (int workers = 1; workers <= 2; workers++) {
            try (StandaloneCluster cluster = StandaloneCluster.ofBuild(workers, "1536m")) {
                SparkSession session = cluster.session("jgen bench");
                rates.put("standalone cluster, " + workers + " worker" + (workers > 1 ? "s" : "") + " of 1 core, to Parquet",
                        timedJobs(session, model, repeats, out));
                session.stop();
            }
        }
        return rates;
    }

    private static List<Double> timedJobs(SparkSession spark, TableModel model, int repeats, Path out) {
        SparkGen.sample(spark, model, ROWS / 50, PARTITIONS, 0).write().mode("overwrite").parquet(out.resolve("warm-up").toString());
        List<Double> rates = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            long start = System.nanoTime();
            SparkGen.sample(spark, model, ROWS, PARTITIONS, r + 1).write().mode("overwrite").parquet(out.resolve("rows").toString());
            rates.add(ROWS / ((System.nanoTime() - start) / 1e9));
        }
        return rates;
    }
}
