package dev.jgen.kernel.protocol;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;

/** Replies the protocol base has no class for (or gets wrong), built as plain JSON content. */
final class Replies {
    private Replies() {}

    /** The execute_reply for a request skipped because an earlier cell failed with stop_on_error. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Message<?> aborted(Message<?> request) {
        JsonObject content = new JsonObject();
        content.addProperty("status", "aborted");
        return new Message(request, MessageType.EXECUTE_REPLY, content);
    }

    /** A well-formed history_reply: status ok and [session, line, input] triples (or [.., [input, output]]). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Message<?> history(Message<?> request, JsonArray entries) {
        JsonObject content = new JsonObject();
        content.addProperty("status", "ok");
        content.add("history", entries);
        return new Message(request, MessageType.HISTORY_REPLY, content);
    }
}
