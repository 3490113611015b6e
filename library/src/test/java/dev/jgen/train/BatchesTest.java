package dev.jgen.train;

import ai.djl.ndarray.NDManager;
import dev.jgen.data.Dataset;
import dev.jgen.data.Datasets;
import dev.jgen.nn.Backend;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class BatchesTest {
    private static final Dataset DATA = Datasets.fashionMnist().take(300);

    @Test
    void everyBatchHoldsWhatTheOrderAsksForAndKeepsIt() {
        Batches batches = new Batches(DATA, true);
        try (NDManager m = Backend.newManager()) {
            List<Batches.Batch> kept = new ArrayList<>();
            List<int[]> orders = new ArrayList<>();
            for (int epoch = 0; epoch < 3; epoch++) {
                int[] order = Dataset.permutation(DATA.size(), new Random(epoch));
                orders.add(order);
                for (int step = 0; step < 5; step++) {
                    kept.add(batches.take(64 * step, Math.min(300, 64 * step + 64), order, m));
                }
            }
            for (int i = 0; i < kept.size(); i++) {
                int[] order = orders.get(i / 5);
                int from = 64 * (i % 5);
                int to = Math.min(300, from + 64);
                assertEquals(DATA.batch(m, from, to, order).getShape(), kept.get(i).examples().getShape());
                assertArrayEquals(DATA.batch(m, from, to, order).toFloatArray(), kept.get(i).examples().toFloatArray(), "batch " + i);
                assertArrayEquals(DATA.labelBatch(m, from, to, order).toIntArray(), kept.get(i).labels().toIntArray(), "labels " + i);
            }
        }
    }

    @Test
    void withoutLabelsOnlyExamples() {
        try (NDManager m = Backend.newManager()) {
            Batches.Batch last = new Batches(DATA, false).take(256, 300, null, m);
            assertArrayEquals(DATA.batch(m, 256, 300, null).toFloatArray(), last.examples().toFloatArray());
            assertNull(last.labels());
        }
    }
}
