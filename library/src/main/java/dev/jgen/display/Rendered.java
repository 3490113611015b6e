package dev.jgen.display;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One object's views keyed by MIME type: PNG bytes, HTML or plain text. Always has text/plain. */
public final class Rendered {
    public static final String PNG = "image/png";
    public static final String HTML = "text/html";
    public static final String TEXT = "text/plain";

    private final Map<String, Object> data;

    private Rendered(Map<String, Object> data) {
        this.data = Collections.unmodifiableMap(data);
    }

    public static Rendered png(byte[] png, String text) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put(PNG, png);
        data.put(TEXT, text);
        return new Rendered(data);
    }

    public static Rendered html(String html, String text) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put(HTML, html);
        data.put(TEXT, text);
        return new Rendered(data);
    }

    public static Rendered text(String text) {
        return new Rendered(Map.of(TEXT, text));
    }

    /** MIME type to content: {@code byte[]} for images, {@code String} for everything else. */
    public Map<String, Object> data() {
        return data;
    }

    public String text() {
        return (String) data.get(TEXT);
    }
}
