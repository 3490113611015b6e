package dev.jgen.spark;

import dev.jgen.Gen;
import dev.jgen.display.Png;
import dev.jgen.display.Renderable;
import dev.jgen.model.GenerativeModel;
import dev.jgen.model.tabular.TableEncoding;
import dev.jgen.model.tabular.TableEncoding.Kind;
import dev.jgen.model.tabular.TableModel;
import dev.jgen.plot.Pixels;
import dev.jgen.plot.Samples;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import tech.tablesaw.api.Table;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * How {@link SparkGen#sample} cuts {@code n} samples into partitions, and the rows one partition writes: drawn in
 * chunks (so a partition of millions never sits in memory at once), each chunk from a seed of the job's seed, the
 * partition and the chunk alone.
 */
final class SampleRows implements Serializable {
    private static final long serialVersionUID = 1;
    private static final int TABLE_CHUNK = 20_000;
    private static final int EXAMPLE_CHUNK = 256;
    /** Image and point models draw from the engine's one global generator: one chunk at a time per executor JVM. */
    private static final Object ENGINE_SEED = new Object();

    private final long n;
    private final int partitions;
    private final long seed;
    /** A table model's column names and kinds; null for the image and point families. */
    private final String[] columns;
    private final Kind[] kinds;
    /** One example's shape (channels, height, width, or features) for the image and point families. */
    private final long[] example;

    private SampleRows(long n, int partitions, long seed, String[] columns, Kind[] kinds, long[] example) {
        this.n = n;
        this.partitions = partitions;
        this.seed = seed;
        this.columns = columns;
        this.kinds = kinds;
        this.example = example;
    }

    static SampleRows plan(GenerativeModel model, long n, int partitions, long seed) {
        if (model instanceof TableModel table) {
            TableEncoding encoding = table.encoding();
            return new SampleRows(n, partitions, seed, encoding.names().toArray(String[]::new),
                    encoding.columns().stream().map(TableEncoding.ColumnCode::kind).toArray(Kind[]::new), null);
        }
        Renderable one = model.sample(1);
        if (!(one instanceof Samples samples)) {
            throw new IllegalArgumentException("SparkGen samples table models and the image and point families; this "
                    + model.getClass().getSimpleName() + " writes " + one.getClass().getSimpleName() + ", which has no rows to spread");
        }
        long[] shape = samples.shape().getShape();
        return new SampleRows(n, partitions, seed, null, null, Arrays.copyOfRange(shape, 1, shape.length));
    }

    StructType schema() {
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField(SparkGen.PARTITION, DataTypes.IntegerType, false));
        fields.add(DataTypes.createStructField(SparkGen.ROW, DataTypes.LongType, false));
        if (columns != null) {
            for (int c = 0; c < columns.length; c++) {
                if (columns[c].equals(SparkGen.PARTITION) || columns[c].equals(SparkGen.ROW)) {
                    throw new IllegalArgumentException("the table has a column \"" + columns[c] + "\", the name SparkGen gives its row keys; rename it before training");
                }
                fields.add(DataTypes.createStructField(columns[c], TableRows.sparkType(kinds[c]), true));
            }
        } else {
            fields.add(DataTypes.createStructField("values", DataTypes.createArrayType(DataTypes.FloatType, false), false));
            if (images()) {
                fields.add(DataTypes.createStructField("png", DataTypes.BinaryType, false));
            }
        }
        return DataTypes.createStructType(fields);
    }

    private boolean images() {
        return example.length == 3;
    }

    /** How many of the {@code n} samples partition {@code p} writes: an even share, the first ones one more. */
    long count(int p) {
        return n / partitions + (p < n % partitions ? 1 : 0);
    }

    /** Partition {@code p}'s rows, drawn a chunk at a time as they are read. */
    Iterator<Row> rows(GenerativeModel model, int p) {
        long count = count(p);
        int chunkSize = columns != null ? TABLE_CHUNK : EXAMPLE_CHUNK;
        return new Iterator<>() {
            private long drawn;
            private int chunk;
            private Iterator<Row> current = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && drawn < count) {
                    int size = (int) Math.min(chunkSize, count - drawn);
                    current = draw(model, p, chunk++, drawn, size).iterator();
                    drawn += size;
                }
                return current.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
    }

    private List<Row> draw(GenerativeModel model, int p, int chunk, long first, int size) {
        long chunkSeed = chunkSeed(p, chunk);
        List<Row> rows = new ArrayList<>(size);
        if (columns != null) {
            Table table = ((TableModel) model).sample(size, chunkSeed);
            for (int r = 0; r < size; r++) {
                Object[] values = TableRows.values(table, kinds, r, 2);
                values[0] = p;
                values[1] = first + r;
                rows.add(RowFactory.create(values));
            }
            return rows;
        }
        Samples samples;
        synchronized (ENGINE_SEED) {
            Gen.seed(chunkSeed);
            samples = (Samples) model.sample(size);
        }
        float[] values = samples.values();
        int per = values.length / size;
        for (int i = 0; i < size; i++) {
            float[] one = Arrays.copyOfRange(values, i * per, (i + 1) * per);
            rows.add(images()
                    ? RowFactory.create(p, first + i, one, Png.encode(Pixels.image(values, i * per, (int) example[0], (int) example[1], (int) example[2])))
                    : RowFactory.create(p, first + i, one));
        }
        return rows;
    }

    /** A seed for chunk {@code chunk} of partition {@code p}: the job's seed, p and the chunk mixed (SplitMix64's finaliser). */
    private long chunkSeed(int p, int chunk) {
        long z = seed + 0x9E3779B97F4A7C15L * (1 + ((long) p << 32 | chunk));
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
