package dev.jgen.kernel;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's first command: install/jgen-notebook serves notebooks/ with the jgen kernel registered. */
class NotebookServerIT {
    private static final Path REPO = Path.of(System.getProperty("jgen.repo")).toAbsolutePath().normalize();
    private static final String TOKEN = "jgen-test-token";

    @Test
    void jgenNotebookServesTheTutorialsWithTheJgenKernel() throws Exception {
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(REPO.resolve("install/jgen-notebook").toString(), "--no-browser",
                "--port=" + port, "--NotebookApp.token=" + TOKEN)
                .redirectErrorStream(true)
                .redirectOutput(REPO.resolve("kernel/target/jgen-notebook-it.log").toFile());
        builder.environment().put("JGEN_NO_BUILD", "1");
        // Registered inside the build folder: a test leaves the host's Jupyter as it found it.
        Path prefix = REPO.resolve("kernel/target/jupyter-prefix");
        builder.environment().put("JGEN_KERNELSPEC_PREFIX", prefix.toString());
        Process server = builder.start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            String specs = getWhenUp(http, port, "/api/kernelspecs", server);
            assertTrue(specs.contains("\"jgen\"") && specs.contains("Java (jgen)"), specs);
            String contents = get(http, port, "/api/contents");
            assertTrue(contents.contains("01-vae-fashion-mnist.ipynb"), contents);
        } finally {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
        Path listedFile = REPO.resolve("kernel/target/kernelspec-list.txt");
        ProcessBuilder listing = new ProcessBuilder("/usr/bin/jupyter", "kernelspec", "list").redirectErrorStream(true)
                .redirectOutput(listedFile.toFile());
        listing.environment().put("JUPYTER_PATH", prefix.resolve("share/jupyter").toString());
        Process list = listing.start();
        assertTrue(list.waitFor(30, TimeUnit.SECONDS), "jupyter kernelspec list did not finish in 30 s");
        assertEquals(0, list.exitValue());
        String listed = java.nio.file.Files.readString(listedFile);
        assertTrue(listed.lines().anyMatch(l -> l.trim().startsWith("jgen ") && l.contains(prefix.toString())), listed);
    }

    private static String getWhenUp(HttpClient http, int port, String path, Process server) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new AssertionError("install/jgen-notebook exited with " + server.exitValue()
                        + "; see kernel/target/jgen-notebook-it.log");
            }
            try {
                return get(http, port, path);
            } catch (IOException notYet) {
                Thread.sleep(500);
            }
        }
        throw new AssertionError("Jupyter did not answer on 127.0.0.1:" + port);
    }

    private static String get(HttpClient http, int port, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "token " + TOKEN).timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
