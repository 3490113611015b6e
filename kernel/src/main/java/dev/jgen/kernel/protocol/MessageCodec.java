package dev.jgen.kernel.protocol;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.reflect.TypeToken;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.KernelTimestamp;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.ReplyType;
import org.dflib.jjava.jupyter.messages.adapters.HeaderAdapter;
import org.dflib.jjava.jupyter.messages.adapters.HistoryRequestAdapter;
import org.dflib.jjava.jupyter.messages.adapters.KernelTimestampAdapter;
import org.dflib.jjava.jupyter.messages.adapters.MessageTypeAdapter;
import org.dflib.jjava.jupyter.messages.adapters.ReplyTypeAdapter;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;

/**
 * Checks and decodes the wire frames of an incoming Jupyter message (after the {@code <IDS|MSG>}
 * delimiter). The signature is compared in constant time, so its bytes cannot be guessed from timing.
 */
final class MessageCodec {
    /** A message that failed its signature check or could not be parsed. */
    static final class Rejected extends Exception {
        Rejected(String reason) {
            super(reason, null, false, false);
        }
    }

    private static final Type JSON_MAP = new TypeToken<Map<String, Object>>() {}.getType();

    // The protocol base's own adapters, so requests decode into the same classes its handlers take.
    private final Gson gson = new GsonBuilder()
            .registerTypeAdapter(KernelTimestamp.class, KernelTimestampAdapter.INSTANCE)
            .registerTypeAdapter(Header.class, HeaderAdapter.INSTANCE)
            .registerTypeAdapter(MessageType.class, MessageTypeAdapter.INSTANCE)
            .registerTypeAdapter(HistoryRequest.class, HistoryRequestAdapter.INSTANCE)
            .registerTypeHierarchyAdapter(ReplyType.class, new ReplyTypeAdapter(new Gson()))
            .create();
    private final HMACGenerator signer;
    private final boolean signed;

    MessageCodec(HMACGenerator signer) {
        this.signer = signer;
        this.signed = signer != HMACGenerator.NO_AUTH_INSTANCE;
    }

    /**
     * @param frames signature, header, parent header, metadata, content, then any buffers
     */
    Message<?> decode(List<byte[]> identities, List<byte[]> frames) throws Rejected {
        if (frames.size() < 5) {
            throw new Rejected("it has " + frames.size() + " frames after the delimiter, at least 5 are required");
        }
        byte[] header = frames.get(1);
        byte[] parent = frames.get(2);
        byte[] metadata = frames.get(3);
        byte[] content = frames.get(4);
        if (signed) {
            byte[] expected = signer.calculateSignature(header, parent, metadata, content).getBytes(StandardCharsets.US_ASCII);
            if (!MessageDigest.isEqual(expected, frames.get(0))) {
                throw new Rejected(frames.get(0).length == 0 ? "it is not signed" : "its signature is wrong");
            }
        }
        try {
            Header<?> h = gson.fromJson(utf8(header), Header.class);
            JsonElement parentJson = JsonParser.parseString(utf8(parent));
            Header<?> parentHeader = parentJson.isJsonObject() && !parentJson.getAsJsonObject().isEmpty()
                    ? gson.fromJson(parentJson, Header.class) : null;
            Map<String, Object> meta = gson.fromJson(utf8(metadata), JSON_MAP);
            Object body = gson.fromJson(utf8(content), h.getType().getContentType());
            return new Message(identities, h, parentHeader, meta, body, frames.subList(5, frames.size()));
        } catch (RuntimeException e) {
            throw new Rejected("it could not be parsed: " + e.getMessage());
        }
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
