package dev.jgen.train;

import dev.jgen.data.Dataset;
import dev.jgen.data.Datasets;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class BatchPrefetcherTest {
    private static final Dataset DATA = Datasets.fashionMnist().take(300);

    @Test
    void prefetchedBatchesAreTheOnesTheEpochOrderAsksFor() throws InterruptedException {
        try (BatchPrefetcher batches = new BatchPrefetcher(DATA, 64, true)) {
            for (int epoch = 0; epoch < 2; epoch++) {
                int[] order = Dataset.permutation(DATA.size(), new Random(epoch));
                batches.startEpoch(order);
                for (int step = 0; step < 5; step++) {
                    assertSameBatch(DATA.hostBatch(64 * step, Math.min(300, 64 * step + 64), order, true), batches.take(step));
                }
            }
        }
    }

    @Test
    void aStepOutOfTurnIsCopiedOnTheSpot() throws InterruptedException {
        int[] order = Dataset.permutation(DATA.size(), new Random(7));
        try (BatchPrefetcher batches = new BatchPrefetcher(DATA, 100, false)) {
            batches.startEpoch(order);
            batches.take(0);
            Dataset.HostBatch third = batches.take(2);
            assertSameBatch(DATA.hostBatch(200, 300, order, false), third);
            assertEquals(null, third.labels());
        }
    }

    private static void assertSameBatch(Dataset.HostBatch expected, Dataset.HostBatch got) {
        assertEquals(expected.shape(), got.shape());
        assertEquals(expected.values(), got.values());
        assertArrayEquals(expected.labels(), got.labels());
    }
}
