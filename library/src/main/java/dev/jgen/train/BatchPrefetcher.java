package dev.jgen.train;

import dev.jgen.data.Dataset;

import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Copies the next few mini-batches of an epoch out of the data set on a helper thread while steps train,
 * so a step finds its batch ready (all but the first of each epoch, measured) and only wraps it. Where a
 * core is free, e.g. while a GPU computes, the copying costs the loop nothing; where libtorch keeps every
 * core busy, as on a 2-core CPU, it costs about what copying in the loop would (no difference in epoch
 * time measured either way), which is why it runs several batches ahead: the helper gets the CPU in bursts.
 */
final class BatchPrefetcher implements AutoCloseable {
    private static final int AHEAD = 4;

    private final Dataset data;
    private final boolean withLabels;
    private final int batch;
    private final int stepsPerEpoch;
    private final ExecutorService helper = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "jgen-batches");
        thread.setDaemon(true);
        return thread;
    });
    private final ArrayDeque<Future<Dataset.HostBatch>> ahead = new ArrayDeque<>();
    private int[] order;
    /** The step whose batch is at the head of {@link #ahead}. */
    private int firstAhead;
    private int nextToQueue;

    BatchPrefetcher(Dataset data, int batch, boolean withLabels) {
        this.data = data;
        this.batch = batch;
        this.withLabels = withLabels;
        this.stepsPerEpoch = (data.size() + batch - 1) / batch;
    }

    /** Starts an epoch that visits the examples in {@code order}. */
    void startEpoch(int[] order) {
        this.order = order;
        restartAt(0);
    }

    /** Batch {@code step} of the epoch, waiting for it only if its copy has not finished yet. */
    Dataset.HostBatch take(int step) throws InterruptedException {
        if (step != firstAhead || ahead.isEmpty()) {
            restartAt(step);
        }
        Future<Dataset.HostBatch> current = ahead.poll();
        firstAhead++;
        queueAhead();
        try {
            return current.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private void restartAt(int step) {
        ahead.forEach(f -> f.cancel(false));
        ahead.clear();
        firstAhead = step;
        nextToQueue = step;
        queueAhead();
    }

    private void queueAhead() {
        int[] epochOrder = order;
        while (ahead.size() < AHEAD && nextToQueue < stepsPerEpoch) {
            int from = nextToQueue * batch;
            int to = Math.min(data.size(), from + batch);
            ahead.add(helper.submit(() -> data.hostBatch(from, to, epochOrder, withLabels)));
            nextToQueue++;
        }
    }

    @Override
    public void close() {
        helper.shutdownNow();
    }
}
