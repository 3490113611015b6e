package dev.jgen.kernel;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every tutorial in notebooks/ runs top to bottom through real Jupyter (nbconvert) on the jgen kernel:
 * no cell may fail, except those tagged raises-exception (which demonstrate an error and must show
 * one), and the plots must arrive as inline PNG.
 */
class NotebooksIT {
    private static final Path REPO = Path.of(System.getProperty("jgen.repo")).toAbsolutePath().normalize();
    private static final Path EXECUTED = REPO.resolve("kernel/target/executed-notebooks");

    @TestFactory
    Stream<DynamicTest> everyNotebookExecutesCleanly() throws IOException {
        List<Path> notebooks;
        try (Stream<Path> files = Files.list(REPO.resolve("notebooks"))) {
            notebooks = files.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
        }
        assertFalse(notebooks.isEmpty(), "no notebooks found in " + REPO.resolve("notebooks"));
        return notebooks.stream().map(nb -> DynamicTest.dynamicTest(nb.getFileName().toString(), () -> execute(nb)));
    }

    private static void execute(Path notebook) throws Exception {
        Files.createDirectories(EXECUTED);
        ProcessBuilder nbconvert = new ProcessBuilder("/usr/bin/jupyter", "nbconvert", "--to", "notebook", "--execute",
                "--ExecutePreprocessor.kernel_name=jgen", "--ExecutePreprocessor.timeout=900",
                "--output-dir", EXECUTED.toString(), notebook.getFileName().toString())
                .directory(notebook.getParent().toFile())
                .redirectErrorStream(true);
        ChildProcess.Finished run = ChildProcess.run(nbconvert, null, Duration.ofMinutes(20));
        assertEquals(0, run.exitCode(), "nbconvert failed:\n" + run.output());

        JsonObject executed = new Gson().fromJson(Files.readString(EXECUTED.resolve(notebook.getFileName())), JsonObject.class);
        List<String> errors = new ArrayList<>();
        int pngs = 0;
        int codeCells = 0;
        for (JsonElement c : executed.getAsJsonArray("cells")) {
            JsonObject cell = c.getAsJsonObject();
            if (!cell.get("cell_type").getAsString().equals("code")) {
                continue;
            }
            codeCells++;
            assertFalse(cell.get("execution_count").isJsonNull(), "a code cell did not run: " + cell.get("source"));
            boolean expectsError = tagged(cell, "raises-exception");
            // A cell tagged shows-warning demonstrates jgen's one-line warnings (e.g. dropped rows) on stderr.
            boolean expectsWarning = tagged(cell, "shows-warning");
            boolean sawError = false;
            boolean sawWarning = false;
            for (JsonElement o : cell.getAsJsonArray("outputs")) {
                JsonObject output = o.getAsJsonObject();
                String type = output.get("output_type").getAsString();
                if (type.equals("error")) {
                    sawError = true;
                    if (!expectsError) {
                        errors.add(output.get("ename").getAsString() + ": " + output.get("evalue").getAsString());
                    }
                }
                if (type.equals("stream") && output.get("name").getAsString().equals("stderr")) {
                    String text = streamText(output);
                    if (expectsWarning && text.lines().allMatch(l -> l.startsWith("warning: "))) {
                        sawWarning = true;
                    } else {
                        errors.add("stderr: " + text);
                    }
                }
                if (output.has("data") && output.getAsJsonObject("data").has("image/png")) {
                    pngs++;
                }
            }
            if (expectsError && !sawError) {
                errors.add("a cell tagged raises-exception ran without error: " + cell.get("source"));
            }
            if (expectsWarning && !sawWarning) {
                errors.add("a cell tagged shows-warning printed no warning: " + cell.get("source"));
            }
        }
        assertTrue(codeCells > 0, "no code cells");
        assertTrue(errors.isEmpty(), notebook.getFileName() + " has error output: " + errors);
        assertTrue(pngs >= 1, notebook.getFileName() + " shows no inline PNG");
    }

    private static boolean tagged(JsonObject cell, String tag) {
        JsonObject metadata = cell.getAsJsonObject("metadata");
        return metadata.has("tags") && metadata.getAsJsonArray("tags").contains(new JsonPrimitive(tag));
    }

    /** A stream output's text, which nbformat stores as one string or as a list of lines. */
    private static String streamText(JsonObject output) {
        JsonElement text = output.get("text");
        if (text.isJsonPrimitive()) {
            return text.getAsString();
        }
        StringBuilder joined = new StringBuilder();
        text.getAsJsonArray().forEach(line -> joined.append(line.getAsString()));
        return joined.toString();
    }
}
