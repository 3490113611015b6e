package dev.jgen.kernel.protocol;

import org.dflib.jjava.jupyter.channels.IOPubChannel;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishStream;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQ;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * IOPub through one publisher thread. A cell's thread only enqueues, so interrupting or stopping it
 * can never land inside ZeroMQ (which would break the socket for good); and prints that arrive
 * within a few milliseconds of each other leave as one stream message instead of one per flush.
 */
final class QueuedIOPubChannel extends IOPubChannel {
    private static final Logger LOG = LoggerFactory.getLogger(QueuedIOPubChannel.class);
    private static final long STREAM_BATCH_MILLIS = 30;

    private final LinkedBlockingQueue<Message<?>> queue = new LinkedBlockingQueue<>();
    private volatile boolean running;
    private Thread publisher;

    QueuedIOPubChannel(ZMQ.Context context, HMACGenerator signer) {
        super(context, signer);
    }

    @Override
    public void bind(KernelConnectionProperties props) {
        super.bind(props);
        running = true;
        publisher = new Thread(this::publish, "jgen-iopub");
        publisher.setDaemon(true);
        publisher.start();
    }

    @Override
    public void sendMessage(Message<?> message) {
        if (running) {
            queue.offer(message);
        }
    }

    private void publish() {
        while (running || !queue.isEmpty()) {
            try {
                Message<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<Message<?>> batch = new ArrayList<>();
                batch.add(first);
                if (first.getContent() instanceof PublishStream) {
                    Thread.sleep(STREAM_BATCH_MILLIS);
                }
                queue.drainTo(batch);
                for (Message<?> m : coalesceStreams(batch)) {
                    super.sendMessage(m);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("iopub: could not publish a message: {}", e.toString());
            }
        }
    }

    /** Merges neighbouring stream messages of the same stream and cell. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<Message<?>> coalesceStreams(List<Message<?>> batch) {
        List<Message<?>> out = new ArrayList<>();
        for (Message<?> m : batch) {
            Message<?> last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && last.getContent() instanceof PublishStream a && m.getContent() instanceof PublishStream b
                    && a.getStreamType() == b.getStreamType() && sameParent(last, m)) {
                out.set(out.size() - 1, new Message(last.getIdentities(), last.getHeader(), last.getParentHeader(),
                        last.getMetadata(), new PublishStream(a.getStreamType(), a.getText() + b.getText()), last.getBlobs()));
            } else {
                out.add(m);
            }
        }
        return out;
    }

    private static boolean sameParent(Message<?> a, Message<?> b) {
        String pa = a.hasParentHeader() ? a.getParentHeader().getId() : null;
        String pb = b.hasParentHeader() ? b.getParentHeader().getId() : null;
        return Objects.equals(pa, pb);
    }

    @Override
    public void close() {
        running = false;
        Thread t = publisher;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        super.close();
    }
}
