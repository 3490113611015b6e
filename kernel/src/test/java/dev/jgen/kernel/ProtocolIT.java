package dev.jgen.kernel;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Jupyter kernel conformance suite (Debian's python3-jupyter-kernel-test) and jgen's hardening
 * tests (forged messages, silent, store_history, stop_on_error), both Python unittest modules run
 * against the real kernel.
 */
class ProtocolIT {
    private static final Path PYTHON_TESTS = Path.of(System.getProperty("jgen.repo"), "kernel", "src", "test", "python");

    @Test
    void conformanceSuitePasses() throws Exception {
        runUnittest("test_conformance");
    }

    @Test
    void hardeningTestsPass() throws Exception {
        runUnittest("test_hardening");
    }

    private static void runUnittest(String module) throws Exception {
        Path log = Path.of(System.getProperty("jgen.repo"), "kernel", "target", module + "-kernel.log").toAbsolutePath();
        ProcessBuilder builder = new ProcessBuilder(KernelDriver.PYTHON, "-m", "unittest", "-v", module)
                .directory(PYTHON_TESTS.toFile())
                .redirectErrorStream(true);
        builder.environment().put("JGEN_LOG", log.toString());
        ChildProcess.Finished run = ChildProcess.run(builder, null, Duration.ofMinutes(10));
        String output = run.output();
        System.out.println(output);
        assertEquals(0, run.exitCode(), module + " failed:\n" + output);
        assertTrue(output.contains("\nOK"), output);
    }
}
