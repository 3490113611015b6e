package dev.jgen.spark;

import dev.jgen.eval.FeatureSums;
import org.apache.spark.sql.Row;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** How one partition's rows become feature vectors, summed a batch at a time into {@link FeatureSums}. */
abstract class RowFeatures implements Serializable {
    private static final long serialVersionUID = 1;
    private static final int BATCH = 10_000;

    /** Features of a batch of rows, {@code dim} per row. */
    abstract float[] features(List<Row> rows);

    final FeatureSums sums(Iterator<Row> partition, int dim, double bandwidth) {
        FeatureSums sums = new FeatureSums(dim, bandwidth);
        List<Row> batch = new ArrayList<>(BATCH);
        while (partition.hasNext()) {
            batch.add(partition.next());
            if (batch.size() == BATCH || !partition.hasNext()) {
                sums.add(features(batch));
                batch.clear();
            }
        }
        return sums;
    }
}
