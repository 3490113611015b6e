package dev.jgen.kernel.protocol;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellHandler;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQ;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The shell or control channel. Unlike the protocol base's, a message with a missing or wrong
 * signature is rejected and logged and the channel keeps serving; it wakes on arrival instead of
 * polling every 50 ms; and after a failed cell with {@code stop_on_error} it aborts the execute
 * requests already queued.
 */
final class GuardedShellChannel extends ShellChannel {
    private static final Logger LOG = LoggerFactory.getLogger(GuardedShellChannel.class);
    private static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);
    private static final int POLL_MILLIS = 100;

    private final String name;
    private final boolean control;
    private final JupyterConnection connection;
    private final MessageCodec codec;
    private final BooleanSupplier abortQueuedExecutes;
    private volatile boolean running;
    private Thread loop;
    private ZMQ.Poller poller;

    GuardedShellChannel(ZMQ.Context context, HMACGenerator signer, boolean control, JupyterConnection connection,
                        BooleanSupplier abortQueuedExecutes) {
        super(context, signer, control, connection);
        this.name = control ? "control" : "shell";
        this.control = control;
        this.connection = connection;
        this.codec = new MessageCodec(signer);
        this.abortQueuedExecutes = abortQueuedExecutes;
    }

    @Override
    public void bind(KernelConnectionProperties props) {
        int port = control ? props.getControlPort() : props.getShellPort();
        String address = props.getTransport() + "://" + props.getIp() + ":" + port;
        if (!bind(address)) {
            throw new IllegalStateException("could not bind the " + name + " channel to " + address);
        }
        poller = ctx.poller(1);
        poller.register(this, ZMQ.Poller.POLLIN);
        running = true;
        loop = new Thread(this::serve, "jgen-" + name);
        loop.setDaemon(true);
        loop.start();
    }

    private void serve() {
        while (running) {
            try {
                if (poller.poll(POLL_MILLIS) > 0 && running) {
                    Message<?> message = readMessage();
                    if (message != null) {
                        dispatch(message);
                    }
                }
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warn("{} channel: {} while serving a message; still serving", name, e.toString());
                }
            }
        }
    }

    /** The next message, or null when it was rejected (logged, never answered). */
    @Override
    public synchronized Message<?> readMessage() {
        List<byte[]> identities = new ArrayList<>();
        byte[] frame = recv();
        while (frame != null && !Arrays.equals(DELIMITER, frame)) {
            identities.add(frame);
            frame = hasReceiveMore() ? recv() : null;
        }
        List<byte[]> frames = new ArrayList<>();
        while (hasReceiveMore()) {
            frames.add(recv());
        }
        if (frame == null) {
            LOG.warn("{} channel: rejected a message without the <IDS|MSG> delimiter", name);
            return null;
        }
        try {
            return codec.decode(identities, frames);
        } catch (MessageCodec.Rejected e) {
            LOG.warn("{} channel: rejected a message because {}", name, e.getMessage());
            return null;
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void dispatch(Message message) {
        ShellHandler handler = connection.getHandler(message.getHeader().getType());
        if (handler == null) {
            LOG.info("{} channel: no handler for {}", name, message.getHeader().getType().getName());
            return;
        }
        ShellReplyEnvironment env = connection.prepareReplyEnv(this, message);
        try {
            handler.handle(env, message);
            // Before the failed cell's reply goes out: only requests queued behind it are aborted, never
            // ones a client sends after seeing the error.
            if (message.getHeader().getType() == MessageType.EXECUTE_REQUEST && abortQueuedExecutes.getAsBoolean()) {
                abortQueued();
            }
        } catch (RuntimeException e) {
            LOG.warn("{} channel: handling {} failed: {}", name, message.getHeader().getType().getName(), e.toString());
        } finally {
            env.resolveDeferrals();
        }
        if (env.isMarkedForShutdown()) {
            connection.close();
        }
    }

    /** Answers every execute request that is already waiting with "aborted", as stop_on_error asks. */
    private void abortQueued() {
        while (running && poller.poll(0) > 0) {
            Message<?> message = readMessage();
            if (message == null) {
                continue;
            }
            if (message.getHeader().getType() == MessageType.EXECUTE_REQUEST) {
                ShellReplyEnvironment env = connection.prepareReplyEnv(this, message);
                env.setBusyDeferIdle();
                env.reply(Replies.aborted(message));
                env.resolveDeferrals();
            } else {
                dispatch(message);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        Thread t = loop;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(2 * POLL_MILLIS + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        super.close();
    }

    @Override
    public void waitUntilClose() {
        Thread t = loop;
        if (t != null) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
