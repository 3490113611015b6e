package dev.jgen;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The library's shape, read from its sources: packages depend on each other without cycles, and only
 * {@code nn} talks to the engine below DJL's neutral interface (PyTorch classes, engine-internal calls).
 */
class LayeringTest {
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?dev\\.jgen\\.([a-z.]+?)\\.[A-Z]", Pattern.MULTILINE);
    private static final Pattern ENGINE = Pattern.compile("ai\\.djl\\.pytorch|getNDArrayInternal|PtNDArray");

    @Test
    void packagesFormNoCycle() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        for (Path file : sources()) {
            String from = packageOf(file);
            Matcher m = IMPORT.matcher(Files.readString(file));
            while (m.find()) {
                String to = m.group(1);
                if (!to.equals(from)) {
                    uses.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
                }
            }
        }
        List<String> cycles = new ArrayList<>();
        for (String start : uses.keySet()) {
            for (String next : uses.get(start)) {
                if (reaches(uses, next, start, new TreeSet<>())) {
                    cycles.add(start + " -> " + next + " -> ... -> " + start);
                }
            }
        }
        assertEquals(List.of(), cycles, "package dependencies: " + uses);
    }

    @Test
    void onlyNnTalksToTheEngine() throws IOException {
        List<String> leaks = new ArrayList<>();
        for (Path file : sources()) {
            if (!packageOf(file).equals("nn") && ENGINE.matcher(Files.readString(file)).find()) {
                leaks.add(SOURCES.relativize(file).toString());
            }
        }
        assertEquals(List.of(), leaks, "engine-specific calls belong in dev.jgen.nn (Backend, Ops)");
    }

    private static boolean reaches(Map<String, Set<String>> uses, String from, String target, Set<String> seen) {
        if (from.equals(target)) {
            return true;
        }
        if (!seen.add(from)) {
            return false;
        }
        for (String next : uses.getOrDefault(from, Set.of())) {
            if (reaches(uses, next, target, seen)) {
                return true;
            }
        }
        return false;
    }

    /** "model.vae" for dev/jgen/model/vae/Vae.java, "" for the root package. */
    private static String packageOf(Path file) {
        Path dir = SOURCES.resolve("dev/jgen").relativize(file.getParent());
        return dir.toString().replace('/', '.');
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(f -> f.toString().endsWith(".java")).toList();
        }
    }
}
