package dev.jgen.kernel;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.sun.security.auth.module.UnixSystem;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The classroom command: install/jgen-hub starts Debian's JupyterHub on 127.0.0.1; two users log in through its
 * REST API, each gets a server and a jgen kernel, and a cell in each shows they are apart (their own process, their
 * own folder with the tutorials) and sized to their share of the machine.
 */
class HubIT {
    private static final Path REPO = Path.of(System.getProperty("jgen.repo")).toAbsolutePath().normalize();
    private static final Path STATE = REPO.resolve("kernel/target/hub-it");
    private static final String PASSWORD = "jgen-class-password";
    private static final Duration START_LIMIT = Duration.ofSeconds(180);
    private static final Gson GSON = new Gson();

    // HTTP/1.1: the client's HTTP/2 upgrade header would make the hub's Node.js proxy treat every request as a WebSocket.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private int port;

    @Test
    void twoStudentsGetTheirOwnJgenKernelsInTheirOwnFolders() throws Exception {
        deleteTree(STATE); // a fresh hub: no database, tokens or user folders from an earlier run
        Process hub = startHub(List.of("--authenticator", "dummy", "--password", PASSWORD, "--users", "ada grace"),
                REPO.resolve("kernel/target/hub-prefix"));
        try {
            assertEquals(403, tokenResponse("ada", "not the password").statusCode(), "a wrong password gets no token");
            String ada = token("ada", PASSWORD);
            String grace = token("grace", PASSWORD);
            startServer("ada", ada);
            startServer("grace", grace);

            String[] adaSees = runCell("ada", ada).split("\\|");
            String[] graceSees = runCell("grace", grace).split("\\|");
            assertNotEquals(adaSees[0], graceSees[0], "each user's kernel is a process of its own");
            assertEquals(STATE.resolve("users/ada").toString(), adaSees[1]);
            assertEquals(STATE.resolve("users/grace").toString(), graceSees[1]);
            for (String user : List.of("ada", "grace")) {
                Path folder = STATE.resolve("users").resolve(user);
                assertEquals(user, Files.readString(folder.resolve("whose.txt")), "the cell wrote into its own user's folder");
                assertTrue(Files.exists(folder.resolve("01-vae-fashion-mnist.ipynb")), "the tutorials are copied into " + folder);
            }
            assertEquals("1", adaSees[2], "the JVM sees the --cpu-limit of 1 core");
            assertEquals("1", adaSees[3], "libtorch runs 1 thread");
            assertTrue(Long.parseLong(adaSees[4]) <= (2L << 30) / 4 + (64L << 20), "the heap is sized as for a 2 GiB machine: " + adaSees[4]);

            HttpResponse<String> intrusion = send(authorized(url("/user/grace/api/kernels"), ada).GET());
            assertNotEquals(200, intrusion.statusCode(), "ada's token does not open grace's server");
        } finally {
            stop(hub);
        }
    }

    /** The README's way: a Unix account logs in with its own password (PAM) and its kernel runs as that user in ~/jgen. */
    @Test
    void aStudentWithAUnixAccountRunsAsThemselves() throws Exception {
        assumeTrue(new UnixSystem().getUid() == 0, "creating a Unix account and starting servers as it needs root");
        String student = "jgenhubit";
        String password = "jgen-hub-it-" + UUID.randomUUID();
        deleteTree(STATE);
        // The kernelspec where the student can read it (this checkout may sit in root's home).
        Path prefix = Files.createTempDirectory("jgen-hub-it");
        Files.setPosixFilePermissions(prefix, PosixFilePermissions.fromString("rwxr-xr-x"));
        run(List.of("useradd", "--create-home", student), null);
        Process hub = null;
        try {
            run(List.of("chpasswd"), student + ":" + password + "\n");
            hub = startHub(List.of("--users", student), prefix);
            String token = token(student, password);
            startServer(student, token);
            String[] seen = runCell(student, token).split("\\|");
            Path home = Path.of("/home", student);
            assertEquals(home.toString(), seen[1], "the student's server starts in their home");
            assertEquals(student, Files.readString(home.resolve("whose.txt")));
            assertEquals(student, Files.getOwner(home.resolve("whose.txt")).getName(), "the kernel runs as the student");
            Path tutorial = home.resolve("jgen/01-vae-fashion-mnist.ipynb");
            assertEquals(student, Files.getOwner(tutorial).getName(), "the tutorials in ~/jgen are the student's");
        } finally {
            if (hub != null) {
                stop(hub);
            }
            run(List.of("userdel", "--remove", student), null);
            deleteTree(prefix);
        }
    }

    /** install/jgen-hub with {@code flags}, on free loopback ports, the kernelspec under {@code prefix}; returns once it answers. */
    private Process startHub(List<String> flags, Path prefix) throws Exception {
        port = NotebookServer.freePort();
        List<String> command = new ArrayList<>(List.of(REPO.resolve("install/jgen-hub").toString(), "--dir", STATE.toString(),
                "--cpu-limit", "1", "--mem-limit", "2G", "--port", String.valueOf(port),
                "--hub-port", String.valueOf(NotebookServer.freePort()), "--proxy-api-port", String.valueOf(NotebookServer.freePort())));
        command.addAll(flags);
        Path log = REPO.resolve("kernel/target/jgen-hub-it.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(Map.of("JGEN_NO_BUILD", "1", "JGEN_KERNELSPEC_PREFIX", prefix.toString()));
        Process hub = builder.start();
        try {
            awaitHub(hub, log);
            return hub;
        } catch (Exception | AssertionError e) {
            stop(hub);
            throw e;
        }
    }

    private static void stop(Process hub) throws InterruptedException {
        // Taken before the hub goes: a kernel its server failed to stop is no longer the hub's descendant afterwards.
        List<ProcessHandle> started = hub.descendants().toList();
        hub.destroy(); // the hub stops the users' servers and its proxy on the way out
        if (!hub.waitFor(30, TimeUnit.SECONDS)) {
            hub.destroyForcibly();
        }
        for (ProcessHandle process : started) {
            process.destroyForcibly();
        }
        for (ProcessHandle process : started) {
            process.onExit().toCompletableFuture().completeOnTimeout(process, 10, TimeUnit.SECONDS).join();
        }
    }

    private static void run(List<String> command, String stdin) throws Exception {
        ChildProcess.Finished done = ChildProcess.run(new ProcessBuilder(command).redirectErrorStream(true), stdin, Duration.ofSeconds(60));
        assertEquals(0, done.exitCode(), String.join(" ", command) + ": " + done.output());
    }

    private void awaitHub(Process hub, Path log) throws Exception {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!hub.isAlive()) {
                throw new AssertionError("install/jgen-hub exited with " + hub.exitValue() + "; see " + log);
            }
            try {
                if (send(HttpRequest.newBuilder(url("/hub/api/")).GET()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the hub did not answer on 127.0.0.1:" + port + " within " + START_LIMIT + "; see " + log);
    }

    /** Logs in through the REST API: the authenticator checks the password and the hub returns an API token. */
    private HttpResponse<String> tokenResponse(String user, String password) throws Exception {
        String body = GSON.toJson(Map.of("auth", Map.of("username", user, "password", password)));
        return send(HttpRequest.newBuilder(url("/hub/api/users/" + user + "/tokens")).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private String token(String user, String password) throws Exception {
        HttpResponse<String> response = tokenResponse(user, password);
        assertEquals(201, response.statusCode(), response.body());
        return GSON.fromJson(response.body(), JsonObject.class).get("token").getAsString();
    }

    private void startServer(String user, String token) throws Exception {
        HttpResponse<String> started = send(authorized(url("/hub/api/users/" + user + "/server"), token)
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertTrue(started.statusCode() == 201 || started.statusCode() == 202, started.statusCode() + " " + started.body());
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonObject model = GSON.fromJson(send(authorized(url("/hub/api/users/" + user), token).GET()).body(), JsonObject.class);
            if (model.has("server") && !model.get("server").isJsonNull() && model.get("pending").isJsonNull()) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError(user + "'s server did not start within " + START_LIMIT);
    }

    /**
     * Starts a jgen kernel on the user's server and runs one cell over the kernel's WebSocket, as the browser does;
     * returns what it printed: pid|folder|cores|libtorch threads|max heap.
     */
    private String runCell(String user, String token) throws Exception {
        HttpResponse<String> created = send(authorized(url("/user/" + user + "/api/kernels"), token)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"jgen\"}")));
        assertEquals(201, created.statusCode(), created.body());
        String kernel = GSON.fromJson(created.body(), JsonObject.class).get("id").getAsString();
        String code = "java.nio.file.Files.writeString(java.nio.file.Path.of(\"whose.txt\"), \"" + user + "\");\n"
                + "System.out.print(ProcessHandle.current().pid() + \"|\" + java.nio.file.Path.of(\"\").toAbsolutePath() + \"|\"\n"
                + "    + Runtime.getRuntime().availableProcessors() + \"|\" + dev.jgen.nn.Backend.threads() + \"|\" + Runtime.getRuntime().maxMemory());";
        BlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
        WebSocket socket = http.newWebSocketBuilder().header("Authorization", "token " + token)
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/user/" + user + "/api/kernels/" + kernel + "/channels"), new Collector(messages))
                .get(30, TimeUnit.SECONDS);
        try {
            String id = UUID.randomUUID().toString();
            JsonObject header = new JsonObject();
            header.addProperty("msg_id", id);
            header.addProperty("msg_type", "execute_request");
            header.addProperty("session", UUID.randomUUID().toString());
            header.addProperty("username", user);
            header.addProperty("version", "5.3");
            JsonObject content = GSON.toJsonTree(Map.of("code", code, "silent", false, "store_history", true,
                    "user_expressions", Map.of(), "allow_stdin", false, "stop_on_error", true)).getAsJsonObject();
            JsonObject request = new JsonObject();
            request.add("header", header);
            request.add("parent_header", new JsonObject());
            request.add("metadata", new JsonObject());
            request.add("content", content);
            request.addProperty("channel", "shell");
            socket.sendText(request.toString(), true).get(10, TimeUnit.SECONDS);

            StringBuilder printed = new StringBuilder();
            List<String> seen = new ArrayList<>();
            long deadline = System.nanoTime() + START_LIMIT.toNanos();
            while (System.nanoTime() < deadline) {
                JsonObject message = messages.poll(1, TimeUnit.SECONDS);
                if (message == null || !message.getAsJsonObject("parent_header").has("msg_id")
                        || !message.getAsJsonObject("parent_header").get("msg_id").getAsString().equals(id)) {
                    continue;
                }
                String type = message.getAsJsonObject("header").get("msg_type").getAsString();
                seen.add(type);
                JsonObject body = message.getAsJsonObject("content");
                if (type.equals("stream")) {
                    printed.append(body.get("text").getAsString());
                } else if (type.equals("error")) {
                    throw new AssertionError(user + "'s cell failed: " + body);
                } else if (type.equals("status") && body.get("execution_state").getAsString().equals("idle")) {
                    assertTrue(printed.length() > 0, user + "'s cell printed nothing; messages: " + seen);
                    return printed.toString().trim();
                }
            }
            throw new AssertionError(user + "'s cell did not finish within " + START_LIMIT + "; messages: " + seen);
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }

    /** Gathers the kernel's messages from the WebSocket, whole (a message may arrive in parts). */
    private record Collector(BlockingQueue<JsonObject> messages, StringBuilder partial) implements WebSocket.Listener {
        Collector(BlockingQueue<JsonObject> messages) {
            this(messages, new StringBuilder());
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(GSON.fromJson(partial.toString(), JsonObject.class));
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static HttpRequest.Builder authorized(URI uri, String token) {
        return HttpRequest.newBuilder(uri).header("Authorization", "token " + token);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
