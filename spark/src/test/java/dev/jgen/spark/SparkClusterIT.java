package dev.jgen.spark;

import dev.jgen.Gen;
import dev.jgen.data.Datasets;
import dev.jgen.data.Tables;
import dev.jgen.eval.FeatureSums;
import dev.jgen.eval.FrechetDistance;
import dev.jgen.eval.Kid;
import dev.jgen.model.tabular.TableEncoding;
import dev.jgen.model.tabular.TableEncoding.Kind;
import dev.jgen.model.flow.Flow;
import dev.jgen.model.tabular.TableModel;
import dev.jgen.model.vae.Vae;
import dev.jgen.train.Fit;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A table model trained here, sampled and scored on a real standalone cluster (a master and two one-core workers
 * on 127.0.0.1): a million synthetic credit-g customers that match a sample on one machine, whole after a worker
 * dies mid-job, and a card from merged partition sums that equals the one from all rows in one place.
 */
class SparkClusterIT {
    private static final int MILLION = 1_000_000;
    private static final int PARTITIONS = 8;
    private static StandaloneCluster cluster;
    private static SparkSession spark;
    private static TableModel model;
    private static Table credit;

    @BeforeAll
    static void startClusterAndTrain() throws Exception {
        Gen.seed(3);
        credit = Tables.creditG();
        model = Gen.tabular().build();
        model.fit(credit, Fit.epochs(60).batchSize(200).quiet());
        cluster = StandaloneCluster.ofBuild(2, "1536m");
        spark = cluster.session("jgen SparkClusterIT");
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aMillionRowsMatchOneMachineAndSurviveAKilledWorker(@TempDir Path out) throws InterruptedException {
        // Both executors up before the job, so that when the first task ends each has a task running.
        for (int wait = 0; spark.sparkContext().statusTracker().getExecutorInfos().length < 3 && wait < 600; wait++) {
            Thread.sleep(100);
        }
        assertEquals(3, spark.sparkContext().statusTracker().getExecutorInfos().length, "the driver and two executors\n" + cluster.log("master"));
        AtomicInteger tasksBeforeKill = new AtomicInteger(-1);
        AtomicInteger tasksEnded = new AtomicInteger();
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                // The first finished task means both executors are at work: take one away mid-job.
                if (tasksEnded.incrementAndGet() == 1 && tasksBeforeKill.compareAndSet(-1, 1)) {
                    new Thread(() -> cluster.killWorker(2)).start();
                }
            }
        });
        Dataset<Row> sampled = SparkGen.sample(spark, model, MILLION, PARTITIONS, 7);
        String parquet = out.resolve("credit.parquet").toString();
        sampled.write().parquet(parquet);
        assertTrue(tasksBeforeKill.get() == 1, "the worker was killed while the job ran");
        assertTrue(tasksEnded.get() > PARTITIONS, "tasks of the killed worker ran again: " + tasksEnded.get() + " task ends for "
                + PARTITIONS + " partitions\n" + cluster.log("worker2"));

        Dataset<Row> rows = spark.read().parquet(parquet);
        assertEquals(MILLION, rows.count());
        assertEquals(MILLION, rows.select(SparkGen.PARTITION, SparkGen.ROW).distinct().count(), "no row lost or written twice");
        for (Row perPartition : rows.groupBy(SparkGen.PARTITION).count().collectAsList()) {
            assertEquals(MILLION / PARTITIONS, perPartition.getLong(1), "partition " + perPartition.getInt(0));
        }

        TableEncoding encoding = model.encoding();
        for (TableEncoding.ColumnCode code : encoding.columns()) {
            assertEquals(TableRows.sparkType(code.kind()), rows.schema().apply(code.name()).dataType(), code.name());
        }
        assertEquals(DataTypes.LongType, rows.schema().apply("credit_amount").dataType());
        assertEquals(DataTypes.StringType, rows.schema().apply("purpose").dataType());

        Table local = model.sample(100_000, 99);
        for (TableEncoding.ColumnCode code : encoding.columns()) {
            if (code.kind() == Kind.CATEGORY) {
                Map<String, Double> distributed = new HashMap<>();
                for (Row r : rows.groupBy(code.name()).count().collectAsList()) {
                    distributed.put(r.getString(0), r.getLong(1) / (double) MILLION);
                }
                Map<String, Double> oneMachine = new HashMap<>();
                local.stringColumn(code.name()).countByCategory().forEach(r ->
                        oneMachine.put(r.getString(0), r.getInt(1) / 100_000.0));
                for (String category : code.categories()) {
                    double a = distributed.getOrDefault(category, 0.0);
                    double b = oneMachine.getOrDefault(category, 0.0);
                    assertEquals(b, a, 0.01, code.name() + " = " + category);
                }
            }
        }
        double distributedMean = rows.agg(org.apache.spark.sql.functions.avg("credit_amount")).first().getDouble(0);
        NumericColumn<?> amounts = local.numberColumn("credit_amount");
        assertEquals(amounts.mean(), distributedMean, 0.02 * amounts.standardDeviation(), "mean credit amount");

        // A partition's rows depend on the seed and the partition alone: what a retried task writes is what it wrote.
        List<Row> partitionThree = rows.where(col(SparkGen.PARTITION).equalTo(3)).orderBy(SparkGen.ROW).limit(50).collectAsList();
        Iterator<Row> again = SampleRows.plan(model, MILLION, PARTITIONS, 7).rows(model, 3);
        for (Row row : partitionThree) {
            assertEquals(again.next(), reordered(row, rows.schema().fieldNames(), sampled.schema().fieldNames()));
        }
    }

    /** The row with its fields in {@code order} (Parquet keeps the written order, this guards against it not doing so). */
    private static Row reordered(Row row, String[] fields, String[] order) {
        List<String> names = Arrays.asList(fields);
        return RowFactory.create(Arrays.stream(order).map(name -> row.get(names.indexOf(name))).toArray());
    }

    @Test
    void imagesArriveAsArraysAndPngsAndPointsScoreFromTheirArrays() throws Exception {
        Vae vae = Gen.vae().latent(4).hidden(32).build();
        vae.fit(Datasets.fashionMnist().take(256), Fit.epochs(1).quiet());
        Dataset<Row> images = SparkGen.sample(spark, vae, 600, 3, 5);
        List<Row> written = images.orderBy(SparkGen.PARTITION, SparkGen.ROW).collectAsList();
        assertEquals(600, written.size());
        Row first = written.get(0);
        assertEquals(28 * 28, first.getList(2).size());
        BufferedImage png = ImageIO.read(new ByteArrayInputStream((byte[]) first.get(3)));
        assertEquals(28, png.getWidth());
        assertEquals(28, png.getHeight());
        Iterator<Row> again = SampleRows.plan(vae, 600, 3, 5).rows(vae, 0);
        for (int i = 0; i < 5; i++) {
            Row expected = again.next();
            float[] drawnAgain = (float[]) expected.get(2);
            List<Object> stored = written.get(i).getList(2);
            for (int v = 0; v < drawnAgain.length; v++) {
                assertEquals(drawnAgain[v], ((Number) stored.get(v)).floatValue(), "image " + i + " of partition 0, drawn again");
            }
        }
        IllegalArgumentException tooWide = assertThrows(IllegalArgumentException.class, () -> SparkGen.score(images, images, "values"));
        assertTrue(tooWide.getMessage().contains("784") && tooWide.getMessage().contains("reduce"), tooWide.getMessage());

        dev.jgen.data.Dataset moons = Datasets.moons(2000);
        Flow flow = Gen.flow().couplings(2).hidden(16).build();
        flow.fit(moons, Fit.epochs(2).quiet());
        Dataset<Row> points = SparkGen.sample(spark, flow, 3000, 2, 1);
        float[] realPoints = moons.toFloatArray();
        List<Row> realRows = new ArrayList<>();
        for (int i = 0; i < moons.size(); i++) {
            realRows.add(RowFactory.create((Object) new float[] {realPoints[2 * i], realPoints[2 * i + 1]}));
        }
        Dataset<Row> real = spark.createDataFrame(realRows, DataTypes.createStructType(List.of(
                DataTypes.createStructField("values", DataTypes.createArrayType(DataTypes.FloatType, false), false)))).repartition(2);
        Map<String, Double> distributed = SparkGen.score(real, points, "values");
        float[] generatedPoints = new float[3000 * 2];
        List<Row> sampled = points.collectAsList();
        for (int i = 0; i < sampled.size(); i++) {
            generatedPoints[2 * i] = ((Number) sampled.get(i).getList(2).get(0)).floatValue();
            generatedPoints[2 * i + 1] = ((Number) sampled.get(i).getList(2).get(1)).floatValue();
        }
        Map<String, Double> local = FeatureSums.card(realPoints, generatedPoints, 2);
        for (String metric : local.keySet()) {
            assertEquals(local.get(metric), distributed.get(metric), 1e-9 * Math.max(1, Math.abs(local.get(metric))), metric);
        }
    }

    @Test
    void theCardFromMergedPartitionSumsEqualsTheOneFromAllRows() {
        Dataset<Row> real = SparkGen.rows(spark, credit).repartition(3);
        Dataset<Row> generated = SparkGen.sample(spark, model, 5000, 4, 11);
        Map<String, Double> distributed = SparkGen.score(model, real, generated);

        TableEncoding encoding = model.encoding();
        int dim = encoding.featureWidth();
        float[] realFeatures = encoding.features(credit);
        int[] positions = encoding.names().stream().mapToInt(name -> Arrays.asList(generated.schema().fieldNames()).indexOf(name)).toArray();
        float[] generatedFeatures = encoding.features(TableRows.toTable(encoding, generated.collectAsList(), positions));
        Map<String, Double> local = FeatureSums.card(realFeatures, generatedFeatures, dim);
        System.out.println("distributed card " + distributed + "\nlocal card       " + local);
        for (String metric : local.keySet()) {
            assertEquals(local.get(metric), distributed.get(metric), 1e-9 * Math.max(1, Math.abs(local.get(metric))), metric);
        }
        assertEquals(FrechetDistance.between(realFeatures, generatedFeatures, dim), distributed.get("fcd"), 1e-8 * distributed.get("fcd"));
        assertEquals(Kid.unbiased(realFeatures, generatedFeatures, dim), distributed.get("kid"), 1e-10);
        assertTrue(distributed.get("fcd") > 0 && distributed.get("mmd") > -0.01, distributed.toString());
    }
}
