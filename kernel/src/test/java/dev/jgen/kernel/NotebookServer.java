package dev.jgen.kernel;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A Jupyter Notebook server a test started on 127.0.0.1 with a token: {@link #start} returns once it
 * answers HTTP, so nothing talks to it before it listens; {@link #close} ends it.
 */
final class NotebookServer implements AutoCloseable {
    private static final Duration START_LIMIT = Duration.ofSeconds(120);

    private final Process process;
    private final int port;
    private final String token;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private NotebookServer(Process process, int port, String token, Path log) {
        this.process = process;
        this.port = port;
        this.token = token;
        this.log = log;
    }

    /** Runs {@code command} plus a free port and {@code token}, its output to {@code log}, and waits until it answers. */
    static NotebookServer start(List<String> command, String token, Path log, Map<String, String> environment) throws Exception {
        int port = freePort();
        List<String> full = new ArrayList<>(command);
        full.add("--port=" + port);
        full.add("--NotebookApp.token=" + token);
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        NotebookServer server = new NotebookServer(builder.start(), port, token, log);
        try {
            server.awaitAnswer();
            return server;
        } catch (Exception | AssertionError e) {
            server.close();
            throw e;
        }
    }

    /** The address of {@code path} on this server, the token included (for a browser). */
    String url(String path) {
        return "http://127.0.0.1:" + port + path + (path.contains("?") ? "&" : "?") + "token=" + token;
    }

    /** The body of a GET of {@code path}, which must answer 200. */
    String get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "token " + token).timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    private void awaitAnswer() throws Exception {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the notebook server exited with " + process.exitValue() + "; see " + log);
            }
            try {
                get("/api");
                return;
            } catch (IOException notYet) {
                Thread.sleep(500);
            }
        }
        throw new AssertionError("the notebook server did not answer on 127.0.0.1:" + port + " within " + START_LIMIT + "; see " + log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** A port free on the loopback now (another process may take it before it is used; the tests live with that). */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
