package dev.jgen.kernel.protocol;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The inputs (and text outputs) of this kernel session's cells, answering history requests. */
final class CellHistory {
    /** This kernel keeps one session; history requests may name it as 0 (current) or 1. */
    static final int SESSION = 1;

    private record Entry(int line, String input, String output) {}

    private final List<Entry> entries = new ArrayList<>();

    synchronized void record(int line, String input, String output) {
        entries.add(new Entry(line, input, output));
    }

    synchronized JsonArray tail(int n, boolean withOutput) {
        int from = Math.max(0, entries.size() - Math.max(0, n));
        return toJson(entries.subList(from, entries.size()), withOutput);
    }

    /** Lines {@code start} (inclusive) to {@code stop} (exclusive) of the session; stop 0 means to the end. */
    synchronized JsonArray range(int session, int start, int stop, boolean withOutput) {
        if (session != 0 && session != SESSION) {
            return new JsonArray();
        }
        List<Entry> found = entries.stream()
                .filter(e -> e.line() >= start && (stop <= 0 || e.line() < stop)).toList();
        return toJson(found, withOutput);
    }

    /** Inputs matching a glob ({@code *} any text, {@code ?} one character); the last {@code n}, optionally unique. */
    synchronized JsonArray search(String glob, int n, boolean unique, boolean withOutput) {
        Pattern pattern = globToRegex(glob);
        List<Entry> found = new ArrayList<>(entries.stream().filter(e -> pattern.matcher(e.input()).matches()).toList());
        if (unique) {
            Map<String, Entry> lastByInput = new LinkedHashMap<>();
            for (Entry e : found) {
                lastByInput.remove(e.input());
                lastByInput.put(e.input(), e);
            }
            found = new ArrayList<>(lastByInput.values());
        }
        if (n > 0 && found.size() > n) {
            found = found.subList(found.size() - n, found.size());
        }
        return toJson(Collections.unmodifiableList(found), withOutput);
    }

    private static JsonArray toJson(List<Entry> list, boolean withOutput) {
        JsonArray out = new JsonArray();
        for (Entry e : list) {
            JsonArray triple = new JsonArray();
            triple.add(SESSION);
            triple.add(e.line());
            if (withOutput) {
                JsonArray io = new JsonArray();
                io.add(e.input());
                io.add(e.output() == null ? JsonNull.INSTANCE : new com.google.gson.JsonPrimitive(e.output()));
                triple.add(io);
            } else {
                triple.add(e.input());
            }
            out.add(triple);
        }
        return out;
    }

    private static Pattern globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
