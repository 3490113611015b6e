package dev.jgen.kernel;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the kernelspec ships: offline DJL, message-mode interrupts, the kernel's plumbing relocated, and a
 * class-data-sharing archive that matches its jars.
 */
class KernelPackagingIT {
    private static final Path KERNELSPEC = Path.of(System.getProperty("jgen.repo"), "kernel", "target", "jupyter", "kernels", "jgen");

    @Test
    void kernelJsonRunsDjlOfflineWithMessageInterrupts() throws IOException {
        JsonObject spec = new Gson().fromJson(Files.readString(KERNELSPEC.resolve("kernel.json")), JsonObject.class);
        assertEquals("message", spec.get("interrupt_mode").getAsString());
        assertEquals("Java (jgen)", spec.get("display_name").getAsString());
        assertTrue(spec.getAsJsonArray("argv").toString().contains("-Dai.djl.offline=true"));
        assertEquals("true", spec.getAsJsonObject("env").get("DJL_OFFLINE").getAsString());
    }

    @Test
    void kernelJsonKeepsFreedTensorMemoryForReuse() throws IOException {
        JsonObject env = new Gson().fromJson(Files.readString(KERNELSPEC.resolve("kernel.json")), JsonObject.class).getAsJsonObject("env");
        // Above glibc's dynamic mmap threshold, every big tensor would be mapped and faulted in afresh.
        assertEquals(32 << 20, env.get("MALLOC_MMAP_THRESHOLD_").getAsInt());
        assertTrue(env.get("MALLOC_TRIM_THRESHOLD_").getAsLong() >= 1L << 30, "freed memory stays with the process");
    }

    @Test
    void theKernelsOwnPlumbingIsRelocatedInsideItsJar() throws IOException {
        try (JarFile jar = new JarFile(KERNELSPEC.resolve("lib/jgen-kernel.jar").toFile())) {
            List<String> foreign = jar.stream().map(e -> e.getName())
                    .filter(n -> n.endsWith(".class") && !n.startsWith("dev/jgen/kernel/")).toList();
            assertEquals(List.of(), foreign, "every class in jgen-kernel.jar lives under dev/jgen/kernel");
            assertTrue(jar.getEntry("dev/jgen/kernel/internal/zeromq/ZMQ.class") != null);
            assertTrue(jar.getEntry("dev/jgen/kernel/internal/jjava/jupyter/kernel/BaseKernel.class") != null);
        }
        try (Stream<Path> lib = Files.list(KERNELSPEC.resolve("lib"))) {
            List<String> unrelocated = lib.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("jjava") || n.startsWith("jeromq") || n.startsWith("jnacl")).toList();
            assertEquals(List.of(), unrelocated, "no second, unrelocated copy on the class path");
        }
    }

    @Test
    void sparkIsNotOnTheKernelsClassPathButTheKernelCanDriveIt() throws IOException {
        try (Stream<Path> lib = Files.list(KERNELSPEC.resolve("lib"))) {
            List<String> spark = lib.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("spark-") || n.startsWith("jgen-spark") || n.startsWith("scala-")).toList();
            assertEquals(List.of(), spark, "Spark comes only when a notebook asks for it (%spark), never with the kernel");
        }
        assertTrue(Files.isRegularFile(KERNELSPEC.resolve("optional/jgen-spark.jar")), "%spark finds SparkGen beside the kernel");
        // A Spark driver in the kernel's JVM (notebook 10) reaches into these JDK packages.
        String argv = new Gson().fromJson(Files.readString(KERNELSPEC.resolve("kernel.json")), JsonObject.class).getAsJsonArray("argv").toString();
        for (String open : List.of("java.lang", "java.nio", "sun.nio.ch", "java.util")) {
            assertTrue(argv.contains("--add-opens=java.base/" + open + "=ALL-UNNAMED"), open);
        }
    }

    @Test
    void theClassDataSharingArchiveMatchesTheJarsAndKernelJsonNamesIt() throws Exception {
        JsonObject spec = new Gson().fromJson(Files.readString(KERNELSPEC.resolve("kernel.json")), JsonObject.class);
        assertTrue(spec.getAsJsonArray("argv").toString().contains("-XX:SharedArchiveFile={resource_dir}/jgen.jsa"));
        // -Xshare:on refuses to start unless the archive maps and was made for exactly these jars.
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder run = new ProcessBuilder(java.toString(), "-Xshare:on", "-XX:SharedArchiveFile=" + KERNELSPEC.resolve("jgen.jsa"),
                "-Xlog:class+load=info", "-cp", KERNELSPEC.resolve("lib") + "/*", "dev.jgen.kernel.launch.Main").redirectErrorStream(true);
        ChildProcess.Finished finished = ChildProcess.run(run, null, Duration.ofMinutes(1));
        assertTrue(finished.output().contains("dev.jgen.kernel.launch.Main source: shared objects file"), finished.output());
        assertTrue(finished.output().contains("usage:"), "the JVM started and ran the launcher: " + finished.output());
    }
}
