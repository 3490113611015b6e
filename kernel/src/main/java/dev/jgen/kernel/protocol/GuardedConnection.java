package dev.jgen.kernel.protocol;

import org.dflib.jjava.jupyter.channels.IOPubChannel;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.messages.MessageContext;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishStatus;
import org.zeromq.ZMQ;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;

/**
 * The protocol base's connection with jgen's shell, control and IOPub channels in place of its own
 * (heartbeat and stdin stay the base's). Every socket binds to the connection file's address.
 */
public final class GuardedConnection extends JupyterConnection {
    private final KernelConnectionProperties props;
    private final ZMQ.Context context = ZMQ.context(1);
    private final GuardedShellChannel guardedShell;
    private final GuardedShellChannel guardedControl;
    private final QueuedIOPubChannel queuedIOPub;
    private final CountDownLatch closed = new CountDownLatch(1);

    public GuardedConnection(KernelConnectionProperties props, BooleanSupplier abortQueuedExecutes)
            throws NoSuchAlgorithmException, InvalidKeyException {
        super(props);
        this.props = props;
        this.guardedShell = new GuardedShellChannel(context, props.createHMACGenerator(), false, this, abortQueuedExecutes);
        this.guardedControl = new GuardedShellChannel(context, props.createHMACGenerator(), true, this, () -> false);
        this.queuedIOPub = new QueuedIOPubChannel(context, props.createHMACGenerator());
    }

    @Override
    public IOPubChannel getIOPub() {
        return queuedIOPub;
    }

    @Override
    public ShellReplyEnvironment prepareReplyEnv(ShellChannel shell, MessageContext context) {
        return new ShellReplyEnvironment(shell, stdin, queuedIOPub, context) {};
    }

    @Override
    public void connect() {
        heartbeat.bind(props);
        queuedIOPub.bind(props);
        stdin.bind(props);
        guardedShell.bind(props);
        guardedControl.bind(props);
        getIOPub().sendMessage(new Message<>(null, PublishStatus.MESSAGE_TYPE, PublishStatus.STARTING));
    }

    @Override
    public synchronized void close() {
        if (closed.getCount() == 0) {
            return;
        }
        guardedControl.close();
        guardedShell.close();
        queuedIOPub.close();
        super.close();
        context.close();
        closed.countDown();
    }

    /** Returns once the kernel was asked to shut down, even if a cell is still running. */
    @Override
    public void waitUntilClose() {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
