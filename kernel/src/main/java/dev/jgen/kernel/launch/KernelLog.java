package dev.jgen.kernel.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sends the kernel's own logging to a file: anything on stderr would land in the output of the cell
 * that happens to be running. {@code JGEN_LOG} chooses the file.
 */
final class KernelLog {
    private KernelLog() {}

    static void toFile() {
        String configured = System.getenv("JGEN_LOG");
        Path file = configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".jgen", "kernel.log");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            file = Path.of(System.getProperty("java.io.tmpdir"), "jgen-kernel.log");
        }
        System.setProperty("org.slf4j.simpleLogger.logFile", file.toString());
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    }
}
