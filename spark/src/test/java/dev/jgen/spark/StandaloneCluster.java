package dev.jgen.spark;

import org.apache.spark.sql.SparkSession;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A real Spark standalone cluster on 127.0.0.1: one master and {@code workers} workers of one core each, each its own
 * JVM started from the Spark jars Maven resolved (linked into a SPARK_HOME of its own). Stopped by PID. For the tests
 * and the benchmark (install/bench spark), which is why it is public.
 */
public final class StandaloneCluster implements AutoCloseable {
    private static final Duration START = Duration.ofSeconds(90);

    private final Path home;
    private final int masterPort;
    private final Process master;
    private final List<Process> workers = new ArrayList<>();

    private final List<String> jvmOptions;

    /**
     * A cluster of the Spark jars and JVM options the build names in system properties (jgen.spark.classpath, the file
     * listing the jars; jgen.spark.opens): spark/pom.xml hands them to the tests, install/bench to the benchmark.
     */
    public static StandaloneCluster ofBuild(int workerCount, String workerMemory) throws IOException, InterruptedException {
        List<Path> jars = Arrays.stream(Files.readString(Path.of(System.getProperty("jgen.spark.classpath"))).trim().split(File.pathSeparator))
                .map(Path::of).toList();
        return new StandaloneCluster(jars, List.of(System.getProperty("jgen.spark.opens").trim().split("\\s+")), workerCount, workerMemory);
    }

    /**
     * Starts the master and the workers from {@code sparkJars} (Spark and what it needs), their JVMs with
     * {@code jvmOptions} (the JDK packages Spark opens); each worker offers one core and {@code workerMemory}.
     */
    private StandaloneCluster(List<Path> sparkJars, List<String> jvmOptions, int workerCount, String workerMemory) throws IOException, InterruptedException {
        this.jvmOptions = List.copyOf(jvmOptions);
        home = Files.createTempDirectory("jgen-spark-home");
        Path jars = Files.createDirectories(home.resolve("jars"));
        for (Path jar : sparkJars) {
            Files.createSymbolicLink(jars.resolve(jar.getFileName()), jar);
        }
        masterPort = freePort();
        master = start("master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", String.valueOf(masterPort),
                "--webui-port", String.valueOf(freePort())));
        awaitLog("master", "I have been elected leader", master);
        for (int w = 1; w <= workerCount; w++) {
            Path workDir = Files.createDirectories(home.resolve("work" + w));
            Process worker = start("worker" + w, List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                    "--webui-port", String.valueOf(freePort()), "--cores", "1", "--memory", workerMemory, "--work-dir", workDir.toString(),
                    masterUrl()));
            awaitLog("worker" + w, "Successfully registered with master", worker);
            workers.add(worker);
        }
    }

    public String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /**
     * A driver in this JVM for the cluster, all on 127.0.0.1 and without a web UI, whose executors (one core, 1 GB
     * each) run DJL offline on one thread and find jgen where the build put it: jgen-spark.jar (jgen.spark.jar) and
     * its dependencies (the folder jgen.spark.lib).
     */
    public SparkSession session(String appName) {
        String executorClassPath = System.getProperty("jgen.spark.jar") + File.pathSeparator + System.getProperty("jgen.spark.lib") + "/*";
        return SparkSession.builder().appName(appName).master(masterUrl())
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false")
                .config("spark.executor.memory", "1g").config("spark.executor.cores", "1")
                .config("spark.executor.extraClassPath", executorClassPath)
                .config("spark.executor.extraJavaOptions", "-Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1")
                .config("spark.executorEnv.DJL_OFFLINE", "true")
                .getOrCreate();
    }

    private Process start(String name, List<String> mainAndArguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", home.resolve("jars") + "/*"));
        command.addAll(mainAndArguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(home.resolve(name + ".log").toFile());
        Map<String, String> env = builder.environment();
        env.put("SPARK_HOME", home.toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("DJL_OFFLINE", "true");
        return builder.start();
    }

    private void awaitLog(String name, String line, Process process) throws IOException, InterruptedException {
        Path log = home.resolve(name + ".log");
        Instant deadline = Instant.now().plus(START);
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(log) && Files.readString(log).contains(line)) {
                return;
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the Spark " + name + " did not start (no \"" + line + "\" in " + START.toSeconds() + " s); its log:\n"
                + (Files.exists(log) ? Files.readString(log) : "(none)"));
    }

    /** Kills worker {@code w} (1-based) and the executor it runs, as a machine that dies would lose them. */
    public void killWorker(int w) {
        Process worker = workers.get(w - 1);
        worker.descendants().forEach(ProcessHandle::destroyForcibly);
        worker.destroyForcibly();
    }

    /** A worker's ("worker1", ...) or the master's log, for a failing assertion's message. */
    public String log(String name) {
        try {
            return Files.readString(home.resolve(name + ".log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        List<Process> all = new ArrayList<>(workers);
        all.add(master);
        for (Process process : all) {
            List<ProcessHandle> descendants = process.descendants().toList();
            process.destroy();
            descendants.forEach(ProcessHandle::destroy);
        }
        for (Process process : all) {
            try {
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (var walk = Files.walk(home)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            System.err.println("left the cluster's folder " + home + ": " + e.getMessage());
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
