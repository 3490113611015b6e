package dev.jgen.kernel.eval;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import dev.jgen.Doctor;
import dev.jgen.Gen;
import dev.jgen.HealthReport;
import dev.jgen.data.Dataset;
import dev.jgen.model.GenerativeModel;
import dev.jgen.nn.Backend;
import dev.jgen.plot.Samples;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Line magics: a line that starts with {@code %} is an instruction to the kernel, not Java.
 * {@code %device}, {@code %doctor}, {@code %seed N}, {@code %jars} / {@code %classpath}, {@code %maven}, {@code %mavenRepo},
 * {@code %spark}, {@code %time}, {@code %vars}.
 */
final class Magics {
    static final List<String> NAMES = List.of("classpath", "device", "doctor", "jars", "maven", "mavenRepo", "seed", "spark", "time", "vars");

    /** A cell with its magic lines taken out (blanked, so line numbers in errors stay right). */
    record Split(List<String> magicLines, String code) {
        boolean has(String name) {
            return magicLines.stream().anyMatch(l -> nameOf(l).equals(name));
        }
    }

    /** What the magics need from the session. */
    interface Session {
        void addToClasspath(String path);

        /** Variable names with their declared types, and a way to read one's value. */
        Map<String, String> variables();

        Object valueOf(String variable);

        /** Imports {@code className} for the cells that follow, as the DSL's names are. */
        void importClass(String className) throws CellError;
    }

    private final Session session;
    private MavenDependencies maven;
    private boolean sparkAdded;

    Magics(Session session) {
        this.session = session;
    }

    static Split split(String cell) {
        List<String> magic = new ArrayList<>();
        StringBuilder code = new StringBuilder();
        for (String line : cell.split("\n", -1)) {
            if (line.stripLeading().startsWith("%")) {
                magic.add(line.strip());
                code.append(" ".repeat(line.length()));
            } else {
                code.append(line);
            }
            code.append('\n');
        }
        return new Split(magic, code.substring(0, code.length() - 1));
    }

    static String nameOf(String magicLine) {
        String body = magicLine.substring(1).strip();
        int space = body.indexOf(' ');
        return (space < 0 ? body : body.substring(0, space)).toLowerCase(Locale.ROOT);
    }

    private static String argumentsOf(String magicLine) {
        String body = magicLine.substring(1).strip();
        int space = body.indexOf(' ');
        return space < 0 ? "" : body.substring(space + 1).strip();
    }

    /**
     * Runs one magic line. Returns a value to show (or null); {@code %time} only marks the cell and
     * is handled by the caller.
     */
    Object run(String line, Consumer<String> out) throws CellError {
        String name = nameOf(line);
        String args = argumentsOf(line);
        switch (name) {
            case "time":
                return null;
            case "seed":
                return seed(args, out);
            case "device":
                return device(args);
            case "doctor":
                return doctor();
            case "jars":
            case "classpath":
                return addJars(args, out);
            case "maven":
                return addMavenArtifacts(args, out);
            case "mavenrepo":
                return addMavenRepository(args, out);
            case "spark":
                return addSpark(out);
            case "vars":
                return variables();
            default:
                throw error("UnknownMagic", "%" + name + " is not a jgen magic; there are %" + String.join(", %", NAMES));
        }
    }

    private Object seed(String args, Consumer<String> out) throws CellError {
        try {
            long seed = Long.parseLong(args);
            Gen.seed(seed);
            out.accept("seeded weights, noise, shuffling and toy data with " + seed + "\n");
            return null;
        } catch (NumberFormatException e) {
            throw error("MagicError", "%seed takes a whole number, e.g. %seed 42; got '" + args + "'");
        }
    }

    private Object device(String args) throws CellError {
        if (args.isEmpty()) {
            return Gen.device();
        }
        switch (args.toLowerCase(Locale.ROOT)) {
            case "cpu":
                Backend.useDevice(Device.cpu());
                return Gen.device();
            case "gpu":
            case "cuda":
                if (Backend.engine().getGpuCount() == 0) {
                    throw error("MagicError", "the PyTorch engine sees no GPU here; install a CUDA build of libtorch "
                            + "(see the README, section GPU) or stay on the CPU");
                }
                Backend.useDevice(Device.gpu());
                return Gen.device();
            default:
                throw error("MagicError", "%device takes cpu or gpu; got '" + args + "'");
        }
    }

    /** The library's health report, and where this kernel logs (the launcher points slf4j's simple logger there). */
    private static HealthReport doctor() {
        String log = System.getProperty("org.slf4j.simpleLogger.logFile");
        return Doctor.check().with(log == null
                ? HealthReport.Line.failed("kernel log", "none", "start the kernel through its kernelspec (install/jgen-notebook registers it)")
                : HealthReport.Line.ok("kernel log", log));
    }

    private Object addJars(String args, Consumer<String> out) throws CellError {
        if (args.isEmpty()) {
            throw error("MagicError", "%jars needs one or more jar files or globs, e.g. %jars lib/*.jar");
        }
        List<Path> jars = new ArrayList<>();
        for (String pattern : args.split("\\s+")) {
            jars.addAll(expand(pattern));
        }
        out.accept(addToClasspath(jars) + "\n");
        return null;
    }

    /** Puts {@code jars} on the notebook's class path; says how many ("added 2 jars to the class path"). */
    private String addToClasspath(List<Path> jars) {
        for (Path jar : jars) {
            session.addToClasspath(jar.toString());
        }
        return "added " + jars.size() + " jar" + (jars.size() == 1 ? "" : "s") + " to the class path";
    }

    private Object addMavenArtifacts(String args, Consumer<String> out) throws CellError {
        if (args.isEmpty()) {
            throw error("MagicError", "%maven needs group:artifact:version coordinates, e.g. %maven org.apache.commons:commons-lang3:3.14.0");
        }
        MavenDependencies.Resolution resolution = maven().resolve(List.of(args.split("\\s+")));
        resolution.warnings().forEach(w -> out.accept(w + "\n"));
        List<Path> jars = resolution.jars();
        out.accept(jars.isEmpty() ? "nothing new for the class path\n"
                : addToClasspath(jars) + ": " + String.join(", ", jars.stream().map(j -> j.getFileName().toString()).toList()) + "\n");
        return null;
    }

    /**
     * {@code %spark}: Apache Spark's SQL module (the version jgen-spark was built against, from Maven) and
     * jgen-spark.jar (kept beside the kernel, off its class path), with SparkSession and SparkGen imported.
     */
    private Object addSpark(Consumer<String> out) throws CellError {
        if (sparkAdded) {
            out.accept("Spark and SparkGen are already on the class path\n");
            return null;
        }
        Path sparkGen = kernelspecFolder().resolve("optional").resolve("jgen-spark.jar");
        if (!Files.isRegularFile(sparkGen)) {
            throw error("MagicError", "%spark needs jgen-spark.jar beside the kernel, at " + sparkGen
                    + "; it is built with the kernel: run install/jgen-notebook (or mvn package) again");
        }
        String coordinates = sparkCoordinates();
        MavenDependencies.Resolution resolution = maven().resolve(List.of(coordinates));
        List<Path> jars = new ArrayList<>(resolution.jars());
        jars.add(sparkGen);
        String added = addToClasspath(jars);
        session.importClass("org.apache.spark.sql.SparkSession");
        session.importClass("dev.jgen.spark.SparkGen");
        sparkAdded = true;
        // One line, not one per library: this pairing is the one tutorial 10 runs in every test run.
        String kept = resolution.warnings().isEmpty() ? ""
                : " (" + resolution.warnings().size() + " of Spark's dependencies stay at the versions jgen runs on, as jgen tests them)";
        out.accept(added + ": " + coordinates + " and jgen-spark" + kept + "; SparkSession and SparkGen are imported\n");
        return null;
    }

    private static String sparkCoordinates() throws CellError {
        Properties properties = new Properties();
        try (InputStream in = Magics.class.getResourceAsStream("spark.properties")) {
            if (in == null) {
                throw error("MagicError", "this kernel was built without spark.properties; rebuild it (mvn package)");
            }
            properties.load(in);
        } catch (IOException e) {
            throw error("MagicError", "could not read the kernel's spark.properties: " + e.getMessage());
        }
        return properties.getProperty("sql");
    }

    /** The kernelspec folder: lib/ holds jgen-kernel.jar, optional/ what no notebook gets unless it asks. */
    private static Path kernelspecFolder() throws CellError {
        try {
            return Path.of(Magics.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent().getParent();
        } catch (URISyntaxException | RuntimeException e) {
            throw error("MagicError", "could not find the kernel's own folder: " + e.getMessage());
        }
    }

    private Object addMavenRepository(String args, Consumer<String> out) throws CellError {
        String[] idAndUrl = args.split("\\s+");
        if (idAndUrl.length != 2) {
            throw error("MagicError", "%mavenRepo takes an id and a URL, e.g. %mavenRepo jitpack https://jitpack.io; got '" + args + "'");
        }
        out.accept(maven().addRepository(idAndUrl[0], idAndUrl[1]) + "\n");
        return null;
    }

    private MavenDependencies maven() {
        if (maven == null) {
            maven = new MavenDependencies(MavenDependencies.pinnedByJgen(), MavenDependencies.userLocalRepository());
        }
        return maven;
    }

    private static List<Path> expand(String pattern) throws CellError {
        Path literal = Path.of(pattern);
        if (!pattern.contains("*") && !pattern.contains("?")) {
            if (!Files.exists(literal)) {
                throw error("MagicError", pattern + " does not exist");
            }
            return List.of(literal.toAbsolutePath());
        }
        Path dir = literal.getParent() == null ? Path.of(".") : literal.getParent();
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + literal.getFileName());
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> found = files.filter(p -> matcher.matches(p.getFileName())).map(Path::toAbsolutePath).sorted().toList();
            if (found.isEmpty()) {
                throw error("MagicError", "no file matches " + pattern);
            }
            return found;
        } catch (IOException e) {
            throw error("MagicError", "cannot list " + dir + ": " + e.getMessage());
        }
    }

    private Table variables() {
        Map<String, String> vars = new TreeMap<>(session.variables());
        StringColumn names = StringColumn.create("variable");
        StringColumn types = StringColumn.create("type");
        StringColumn values = StringColumn.create("value");
        for (Map.Entry<String, String> v : vars.entrySet()) {
            names.append(v.getKey());
            types.append(v.getValue());
            values.append(describe(session.valueOf(v.getKey())));
        }
        return Table.create("variables", names, types, values);
    }

    /** Shapes for arrays, data sets and samples; the one-line description for models; else a short toString. */
    static String describe(Object value) {
        if (value instanceof NDArray a) {
            return a.getShape() + " " + a.getDataType() + " on " + a.getDevice();
        }
        if (value instanceof Dataset || value instanceof Samples || value instanceof GenerativeModel) {
            return value.toString();
        }
        String text = String.valueOf(value);
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }

    static CellError error(String name, String message) {
        return new CellError(name, message, List.of("\u001b[1;31m" + name + ": \u001b[0m" + message));
    }
}
