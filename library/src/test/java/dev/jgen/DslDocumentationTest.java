package dev.jgen;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shift-Tab in a notebook shows the javadoc of the method under the cursor, so every public method of the
 * DSL's front doors (Gen, Fit, the builders, Datasets, Tables, Evaluate) has one; overrides and internal
 * helpers excepted.
 */
class DslDocumentationTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/jgen");
    private static final Pattern PUBLIC_METHOD = Pattern.compile("^ {4}public (static )?(?!(final )?(class|record|enum|interface) )[\\w<>\\[\\], .?]+ \\w+\\(.*");

    @Test
    void everyPublicMethodOfTheDslsFrontDoorsHasJavadoc() throws IOException {
        List<Path> files = new ArrayList<>(List.of(SOURCES.resolve("Gen.java"), SOURCES.resolve("train/Fit.java"),
                SOURCES.resolve("data/Datasets.java"), SOURCES.resolve("data/Tables.java"), SOURCES.resolve("Evaluate.java")));
        try (Stream<Path> builders = Files.walk(SOURCES.resolve("model"))) {
            builders.filter(p -> p.getFileName().toString().endsWith("Builder.java")).forEach(files::add);
        }
        assertTrue(files.size() >= 11, "the front doors and the builders of every family: " + files);
        List<String> undocumented = new ArrayList<>();
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                if (!PUBLIC_METHOD.matcher(lines.get(i)).matches()) {
                    continue;
                }
                int above = i - 1;
                boolean exempt = false;
                while (above >= 0 && lines.get(above).strip().startsWith("@")) {
                    exempt |= lines.get(above).strip().matches("@(Override|Internal)\\b.*");
                    above--;
                }
                if (!exempt && (above < 0 || !lines.get(above).strip().endsWith("*/"))) {
                    undocumented.add(SOURCES.relativize(file) + ":" + (i + 1) + " " + lines.get(i).strip());
                }
            }
        }
        assertEquals(List.of(), undocumented, "public DSL methods without javadoc");
    }
}
