package dev.jgen.kernel.protocol;

import dev.jgen.Gen;
import dev.jgen.kernel.display.Renderers;
import dev.jgen.kernel.eval.CellError;
import dev.jgen.kernel.eval.JShellSession;
import dev.jgen.kernel.widgets.WidgetDisplay;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.JupyterIOAccess;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.reply.KernelInfoReply;
import org.dflib.jjava.jupyter.messages.request.KernelInfoRequest;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteInput;
import org.dflib.jjava.jupyter.messages.publish.PublishDisplayData;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;

import com.google.gson.JsonArray;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;

/**
 * The Jupyter side of jgen: protocol handlers on the jjava base, evaluation delegated to a
 * {@link JShellSession}, rendering through the renderer that {@link dev.jgen.kernel.display.Renderers} fills.
 */
public final class JgenKernel extends BaseKernel {
    private final JShellSession session;
    private final CellHistory history = new CellHistory();
    private final CellStreams streams = new CellStreams();
    /** Where the cell being evaluated prints; set by the execute handler for {@link #evalRaw}. */
    private CellStreams.Target runningCell;
    private volatile boolean abortQueued;

    public JgenKernel(JShellSession session, Renderer renderer, CommManager comms) {
        super("jgen", Gen.VERSION, languageInfo(), List.of(), null, new JupyterIO(StandardCharsets.UTF_8), comms,
                renderer, null, new MagicsRegistry(), false, new StringStyler.Builder().build());
        this.session = session;
        streams.install();
    }

    private static LanguageInfo languageInfo() {
        return new LanguageInfo("java", Runtime.version().toString(), "text/x-java-source", ".jshell", "java", "java", "script");
    }

    @Override
    public String getBanner() {
        return "jgen " + Gen.VERSION + " - generative models in Java (JDK " + Runtime.version() + ")";
    }

    @Override
    protected synchronized void handleExecuteRequest(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
        commManager.setMessageContext(message);
        ExecuteRequest request = message.getContent();
        boolean silent = request.isSilent();
        boolean store = request.shouldStoreHistory() && !silent;
        // A silent or unrecorded run does not count: it reports the last cell's number.
        int count = store ? executionCount.getAndIncrement() : executionCount.get() - 1;
        env.setBusyDeferIdle();
        CellStreams.Target target = silent ? streams.discarding() : streams.target(env);
        if (!silent) {
            env.publish(new PublishExecuteInput(request.getCode(), count));
            InputStream in = System.in;
            System.setIn(io.in);
            JupyterIOAccess.attach(io, env);
            env.defer(() -> {
                JupyterIOAccess.detach(io, env);
                System.setIn(in);
            });
        }
        streams.enter(target);
        runningCell = target;
        try {
            DisplayData result = eval(request.getCode());
            streams.leave(target);
            if (result != null && !silent) {
                // A widget draws itself beside the cell; as a result it would leave an empty "Out[n]:" prompt.
                if (WidgetDisplay.isWidget(result)) {
                    env.publish(new PublishDisplayData(result));
                } else {
                    env.publish(new PublishExecuteResult(count, result));
                }
            }
            if (store) {
                history.record(count, request.getCode(), result == null ? null : String.valueOf(result.getData(MIMEType.TEXT_PLAIN)));
            }
            env.defer().reply(new ExecuteReply(count, Collections.emptyMap()));
        } catch (CellFailed failed) {
            streams.leave(target);
            CellError error = failed.error;
            if (store) {
                history.record(count, request.getCode(), null);
            }
            ErrorReply reply = new ErrorReply(error.errorName(), error.getMessage(), error.traceback());
            reply.setExecutionCount(count);
            if (!silent) {
                env.publish(new PublishError(error.errorName(), error.getMessage(), error.traceback()));
            }
            env.defer().replyError(ExecuteReply.MESSAGE_TYPE.error(), reply);
            abortQueued = request.shouldStopOnError();
        } finally {
            streams.leave(target);
        }
    }

    /** True once after a failed cell whose request asked to stop on errors: queued cells are aborted. */
    public boolean takeAbortRequest() {
        boolean abort = abortQueued;
        abortQueued = false;
        return abort;
    }

    @Override
    protected void handleKernelInfoRequest(ShellReplyEnvironment env, Message<KernelInfoRequest> message) {
        env.setBusyDeferIdle();
        env.reply(new KernelInfo(getName(), getVersion(), getLanguageInfo(), getBanner()));
    }

    /** The base's kernel_info_reply lacks the "status" field the protocol requires. */
    private static final class KernelInfo extends KernelInfoReply {
        @SuppressWarnings("unused") // read by Gson
        private final String status = "ok";

        KernelInfo(String name, String version, LanguageInfo language, String banner) {
            super(Header.PROTOCOL_VERISON, name, version, language, banner, List.of());
        }
    }

    @Override
    protected void handleHistoryRequest(ShellReplyEnvironment env, Message<HistoryRequest> message) {
        HistoryRequest request = message.getContent();
        env.setBusyDeferIdle();
        boolean output = request.includeOutput();
        JsonArray entries = switch (request.getAccessType()) {
            case TAIL -> history.tail(((HistoryRequest.Tail) request).getMaxReturnLength(), output);
            case RANGE -> {
                HistoryRequest.Range range = (HistoryRequest.Range) request;
                yield history.range(range.getSessionIndex(), range.getStart(), range.getStop(), output);
            }
            case SEARCH -> {
                HistoryRequest.Search search = (HistoryRequest.Search) request;
                yield history.search(search.getPattern(), search.getMaxReturnLength(), search.filterUnique(), output);
            }
        };
        env.reply(Replies.history(message, entries));
    }

    @Override
    public Object evalRaw(String code) {
        try {
            CellStreams.Target target = runningCell;
            JShellSession.Result result = session.run(code, () -> streams.adopt(target));
            return result.hasValue() && result.value() != null ? Renderers.render(getRenderer(), result.value()) : null;
        } catch (CellError e) {
            throw new CellFailed(e);
        }
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        List<String> docs = session.documentation(code, at);
        if (docs.isEmpty()) {
            return null;
        }
        return new DisplayData(String.join("\n\n", docs));
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        int[] start = new int[1];
        List<String> options = session.complete(code, at, start);
        return new ReplacementOptions(options, start[0], at);
    }

    @Override
    public String isComplete(String code) {
        switch (session.completeness(code)) {
            case COMPLETE:
            case COMPLETE_WITH_SEMI:
            case EMPTY:
                return IS_COMPLETE_YES;
            case DEFINITELY_INCOMPLETE:
            case CONSIDERED_INCOMPLETE:
                return "    ";
            case UNKNOWN:
            default:
                return IS_COMPLETE_BAD;
        }
    }

    @Override
    public void interrupt() {
        session.interrupt();
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        super.onShutdown(isRestarting);
        session.close();
    }

    /** Carries a cell's error through the base class's eval signature. */
    private static final class CellFailed extends RuntimeException {
        final CellError error;

        CellFailed(CellError error) {
            super(error.getMessage(), null, false, false);
            this.error = error;
        }
    }
}
