package dev.jgen.kernel.widgets;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.dflib.jjava.jupyter.channels.ReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.comm.Comm;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.comm.CommCloseCommand;
import org.dflib.jjava.jupyter.messages.comm.CommMsgCommand;
import org.dflib.jjava.jupyter.messages.comm.CommOpenCommand;
import org.dflib.jjava.jupyter.messages.publish.PublishClearOutput;
import org.dflib.jjava.jupyter.messages.publish.PublishDisplayData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The Jupyter widget protocol as Debian's Notebook 6 speaks it (ipywidgets 6's JavaScript, models of module
 * {@code jupyter-js-widgets} ~2.1.4): a comm of target {@code jupyter.widget} per model, its state in
 * {@code comm_open}, updates both ways in {@code comm_msg}, and the front end's version check on
 * {@code jupyter.widget.version}. Widget callbacks run where cells run, one at a time.
 */
public final class WidgetComms extends CommManager {
    static final String TARGET = "jupyter.widget";
    static final String VERSION_TARGET = "jupyter.widget.version";
    static final String MODULE = "jupyter-js-widgets";
    static final String MODULE_VERSION = "~2.1.4";
    private static final Logger LOG = LoggerFactory.getLogger(WidgetComms.class);
    private static volatile WidgetComms current;

    /** Runs a widget's callback on the cell thread and returns when it is done. */
    public interface CellThread {
        void runAndWait(Runnable work);
    }

    private final CellThread cellThread;
    private final Function<Object, DisplayData> renderer;

    /** {@code renderer} turns a value into what {@code display} would show (for output areas). */
    public WidgetComms(CellThread cellThread, Function<Object, DisplayData> renderer) {
        this.cellThread = cellThread;
        this.renderer = renderer;
        registerTarget(VERSION_TARGET, (manager, id, target, open) -> new VersionCheck(manager, id, target));
        current = this;
    }

    static WidgetComms current() {
        WidgetComms comms = current;
        if (comms == null) {
            throw new IllegalStateException("widgets live in a notebook: run this cell in Jupyter on the \"Java (jgen)\" kernel");
        }
        return comms;
    }

    /** Opens a model comm whose comm_open carries {@code state}; front-end messages go to {@code onMessage}. */
    String open(JsonObject state, Consumer<JsonObject> onMessage) {
        Comm comm = openComm(TARGET, (manager, id, target, message) -> {
            JsonObject data = message.getContent().getData();
            // ipywidgets 6's JavaScript reads the state from the top level; clients of the later protocol
            // (nbclient, when nbconvert runs a notebook) from "state". Both find it.
            data.asMap().putAll(state.deepCopy().asMap());
            data.add("state", state.deepCopy());
            data.add("buffer_paths", new JsonArray());
            return new ModelComm(manager, id, target, onMessage);
        });
        if (comm == null) {
            throw new IllegalStateException("the kernel is not connected to a notebook yet");
        }
        return comm.getID();
    }

    Function<Object, DisplayData> renderer() {
        return renderer;
    }

    void send(String commId, JsonObject data) {
        messageComm(commId, data);
    }

    /** The id of the request being answered: the cell's execute request, or the widget message a callback runs for. */
    String parentMessageId() {
        return context == null ? "" : context.getHeader().getId();
    }

    void publish(DisplayData data) {
        iopub.sendMessage(new Message<>(context, PublishDisplayData.MESSAGE_TYPE, new PublishDisplayData(data)));
    }

    void publishClear() {
        iopub.sendMessage(new Message<>(context, PublishClearOutput.MESSAGE_TYPE, PublishClearOutput.NOW));
    }

    /** Runs a widget's callback on the cell thread; a failure is logged, the widget and the kernel go on. */
    void callback(Runnable work) {
        cellThread.runAndWait(() -> {
            try {
                work.run();
            } catch (RuntimeException | Error e) {
                LOG.warn("a widget callback failed", e);
                System.err.println("jgen: a widget callback failed: " + e);
            }
        });
    }

    @Override
    public void handleCommOpenCommand(ReplyEnvironment env, Message<CommOpenCommand> message) {
        setMessageContext(message);
        super.handleCommOpenCommand(env, message);
    }

    @Override
    public void handleCommMsgCommand(ReplyEnvironment env, Message<CommMsgCommand> message) {
        // What a callback sends or shows answers this message, so the front end routes it to the right place.
        setMessageContext(message);
        super.handleCommMsgCommand(env, message);
    }

    private final class ModelComm extends Comm {
        private final Consumer<JsonObject> onMessage;

        ModelComm(CommManager manager, String id, String target, Consumer<JsonObject> onMessage) {
            super(manager, id, target);
            this.onMessage = onMessage;
        }

        @Override
        protected void onMessage(Message<CommMsgCommand> message) {
            onMessage.accept(message.getContent().getData());
        }

        @Override
        protected void onClose(Message<CommCloseCommand> closeMessage, boolean sending) {
            // The front end closed the model (e.g. the page went away); nothing to release here.
        }
    }

    /** Answers the front end's version check; it replies whether ~2.1.4 suits it. */
    private static final class VersionCheck extends Comm {
        VersionCheck(CommManager manager, String id, String target) {
            super(manager, id, target);
            JsonObject version = new JsonObject();
            version.addProperty("version", MODULE_VERSION);
            send(version);
        }

        @Override
        protected void onMessage(Message<CommMsgCommand> message) {
            JsonObject data = message.getContent().getData();
            if (data.has("validated") && !data.get("validated").getAsBoolean()) {
                LOG.warn("the notebook's widget JavaScript does not accept {}: {}", MODULE_VERSION, data);
            }
        }

        @Override
        protected void onClose(Message<CommCloseCommand> closeMessage, boolean sending) {
        }
    }
}
