package dev.jgen.kernel.protocol;

import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishStream;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * {@code System.out} and {@code System.err} for the kernel's whole life. Each print goes to the cell
 * it belongs to, as ipykernel does: a cell's own thread and every thread it starts print into that
 * cell, even after the cell has finished, instead of into whichever cell happens to run next. Threads
 * no cell started (and shared pool workers) print into the running cell, or to the kernel's own
 * streams when none runs.
 */
final class CellStreams {
    /** Where a cell's prints go; a silent cell's go nowhere. */
    static final class Target {
        private final ShellReplyEnvironment env;

        private Target(ShellReplyEnvironment env) {
            this.env = env;
        }
    }

    private final InheritableThreadLocal<Target> owner = new InheritableThreadLocal<>();
    private volatile Target running;
    private final Routed out;
    private final Routed err;

    CellStreams() {
        out = new Routed(PublishStream.StreamType.OUT, System.out);
        err = new Routed(PublishStream.StreamType.ERR, System.err);
    }

    /** Makes every later print in this JVM go through the router. */
    void install() {
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    Target target(ShellReplyEnvironment env) {
        return new Target(env);
    }

    Target discarding() {
        return new Target(null);
    }

    /** The cell that {@code target} stands for starts; called on the shell thread. */
    void enter(Target target) {
        running = target;
    }

    /** Called on the cell's thread before its code runs: it and the threads it starts belong to the cell. */
    void adopt(Target target) {
        owner.set(target);
    }

    /** The cell ends: what it printed leaves before its reply; its threads keep printing into it. */
    void leave(Target target) {
        flush();
        if (running == target) {
            running = null;
        }
    }

    /** Sends everything printed so far, in the order of the calls. */
    void flush() {
        out.flush();
        err.flush();
    }

    private Target targetOfThisThread() {
        Target own = owner.get();
        if (own == null || Thread.currentThread() instanceof ForkJoinWorkerThread) {
            // Pool workers serve whichever cell submits work; the running cell is the one that did.
            Target now = running;
            return now != null ? now : own;
        }
        return own;
    }

    /** One standard stream: bytes are kept per cell and published on flush. */
    private final class Routed extends OutputStream {
        private final PublishStream.StreamType type;
        private final PrintStream kernelStream;
        private final Map<Target, ByteArrayOutputStream> pending = new LinkedHashMap<>();

        Routed(PublishStream.StreamType type, PrintStream kernelStream) {
            this.type = type;
            this.kernelStream = kernelStream;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            Target target = targetOfThisThread();
            if (target == null) {
                kernelStream.write(bytes, offset, length);
            } else if (target.env != null) {
                synchronized (pending) {
                    pending.computeIfAbsent(target, t -> new ByteArrayOutputStream()).write(bytes, offset, length);
                }
            }
        }

        @Override
        public void flush() {
            kernelStream.flush();
            Map<Target, String> texts = new LinkedHashMap<>();
            synchronized (pending) {
                pending.forEach((target, buffer) -> texts.put(target, buffer.toString(StandardCharsets.UTF_8)));
                pending.clear();
            }
            // Straight to the IOPub queue with the cell's header: the environment's own publish() is not
            // safe to call from other threads (it shares a "defer the next message" flag with the shell thread).
            texts.forEach((target, text) -> {
                if (!text.isEmpty()) {
                    PublishStream content = new PublishStream(type, text);
                    target.env.getIopub().sendMessage(new Message<>(target.env.getContext(), content.getType(), content));
                }
            });
        }
    }
}
