package dev.jgen.kernel;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's first command: install/jgen-notebook serves notebooks/ with the jgen kernel registered. */
class NotebookServerIT {
    private static final Path REPO = Path.of(System.getProperty("jgen.repo")).toAbsolutePath().normalize();
    private static final String TOKEN = "jgen-test-token";

    @Test
    void jgenNotebookServesTheTutorialsWithTheJgenKernel() throws Exception {
        // Registered inside the build folder: a test leaves the host's Jupyter as it found it.
        Path prefix = REPO.resolve("kernel/target/jupyter-prefix");
        Map<String, String> environment = Map.of("JGEN_NO_BUILD", "1", "JGEN_KERNELSPEC_PREFIX", prefix.toString());
        try (NotebookServer server = NotebookServer.start(List.of(REPO.resolve("install/jgen-notebook").toString(), "--no-browser"),
                TOKEN, REPO.resolve("kernel/target/jgen-notebook-it.log"), environment)) {
            String specs = server.get("/api/kernelspecs");
            assertTrue(specs.contains("\"jgen\"") && specs.contains("Java (jgen)"), specs);
            String contents = server.get("/api/contents");
            assertTrue(contents.contains("01-vae-fashion-mnist.ipynb"), contents);
        }
        Path listedFile = REPO.resolve("kernel/target/kernelspec-list.txt");
        ProcessBuilder listing = new ProcessBuilder("/usr/bin/jupyter", "kernelspec", "list").redirectErrorStream(true)
                .redirectOutput(listedFile.toFile());
        listing.environment().put("JUPYTER_PATH", prefix.resolve("share/jupyter").toString());
        Process list = listing.start();
        assertTrue(list.waitFor(30, TimeUnit.SECONDS), "jupyter kernelspec list did not finish in 30 s");
        assertEquals(0, list.exitValue());
        String listed = Files.readString(listedFile);
        assertTrue(listed.lines().anyMatch(l -> l.trim().startsWith("jgen ") && l.contains(prefix.toString())), listed);
    }
}
