package dev.jgen.kernel;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Runs a tool the tests drive (a Jupyter client, nbconvert, a Python test module) under a time limit
 * that can fire: its standard output goes to a file while the test waits, so a hung child is found
 * and killed at the limit instead of blocking a read forever.
 */
final class ChildProcess {
    record Finished(int exitCode, String output) {}

    private ChildProcess() {}

    /** Starts {@code builder}, writes {@code stdin} (may be null) and waits at most {@code limit}. */
    static Finished run(ProcessBuilder builder, String stdin, Duration limit) throws IOException, InterruptedException {
        Path output = Files.createTempFile("jgen-child", ".out");
        try {
            Process process = builder.redirectOutput(output.toFile()).start();
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", builder.command()) + " did not finish within " + limit
                        + "; it was killed. Its output so far:\n" + Files.readString(output));
            }
            return new Finished(process.exitValue(), Files.readString(output));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
