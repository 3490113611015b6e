package dev.jgen;

import dev.jgen.HealthReport.Line;
import dev.jgen.data.DataPackages;
import dev.jgen.nn.Backend;
import dev.jgen.nn.ConvGradientCheck;
import dev.jgen.nn.Layers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Is this setup healthy? Versions, the CPU and what libtorch makes of it, the GPU, the data packages, and a
 * convolution-gradient self-check: {@code Doctor.check()}, or {@code %doctor} in a notebook.
 */
public final class Doctor {
    /** Enough passes to catch a fault that hits a few percent of them, in about a second. */
    static final int CONV_PASSES = 50;
    private static final Path CPU_INFO = Path.of("/proc/cpuinfo");
    /** The instruction sets libtorch's kernels choose between, in the order they arrived. */
    private static final List<String> INSTRUCTION_SETS = List.of("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512_vnni",
            "avx512_bf16", "amx_tile");

    private Doctor() {}

    public static HealthReport check() {
        List<Line> lines = new ArrayList<>();
        lines.add(Line.ok("jgen", Gen.VERSION + " on Java " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")"));
        try {
            lines.add(Line.ok("DJL and libtorch", Backend.engineDescription()));
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            lines.add(Line.failed("DJL and libtorch", "the PyTorch engine did not load: " + e.getMessage(),
                    "rebuild the kernel (install/jgen-notebook) so that pytorch-native-cpu is in its lib/ folder"));
            lines.addAll(dataLines());
            return new HealthReport(lines);
        }
        boolean offline = "true".equals(System.getProperty("ai.djl.offline"));
        lines.add(offline ? Line.ok("DJL offline", "yes: no telemetry, no downloads")
                : Line.failed("DJL offline", "no", "start the JVM with -Dai.djl.offline=true (kernel.json does)"));
        lines.add(cpuLine());
        lines.add(Line.ok("threads", Runtime.getRuntime().availableProcessors() + " cores for the JVM, " + Backend.threads()
                + " libtorch threads per op (" + Backend.THREADS_OPTION + " sets them)"));
        int gpus = Backend.gpuCount();
        lines.add(Line.ok("GPU", gpus > 0 ? gpus + " CUDA device(s); models train on " + Backend.device()
                : "none seen: models train on the CPU (the README's GPU section says how to use one)"));
        lines.add(convLine());
        lines.addAll(dataLines());
        return new HealthReport(lines);
    }

    private static Line cpuLine() {
        Map<String, String> cpu = firstProcessor();
        if (cpu.isEmpty()) {
            return Line.ok("CPU", System.getProperty("os.arch") + " (no /proc/cpuinfo to read)");
        }
        Set<String> flags = Set.of(cpu.getOrDefault("flags", "").split("\\s+"));
        List<String> sets = INSTRUCTION_SETS.stream().filter(flags::contains).toList();
        String family = cpu.getOrDefault("cpu family", "?");
        String found = cpu.getOrDefault("model name", "unknown model") + " (family " + family + "); " + String.join(" ", sets);
        boolean zen5 = "AuthenticAMD".equals(cpu.get("vendor_id")) && "26".equals(family);
        return Line.ok("CPU", zen5 ? found + "; AMD Zen 5: oneDNN's convolution-gradient fault applies, jgen's convolution avoids it" : found);
    }

    /** jgen's convolution must have finite gradients here; libtorch's own shows whether this CPU has the fault. */
    private static Line convLine() {
        int jgens = ConvGradientCheck.nonFinitePasses(Layers.conv(3, 3, 1, 1), ConvGradientCheck.INPUT, CONV_PASSES);
        int libtorchs = ConvGradientCheck.nonFinitePasses(ConvGradientCheck.unpaddedConv(), ConvGradientCheck.INPUT, CONV_PASSES);
        String found = String.format(Locale.ROOT, "non-finite gradients in %d of %d backward passes of jgen's convolution, %d of %d of libtorch's own%s",
                jgens, CONV_PASSES, libtorchs, CONV_PASSES, libtorchs > 0 ? " (this CPU has the oneDNN fault)" : "");
        return jgens == 0 ? Line.ok("convolution gradients", found)
                : Line.failed("convolution gradients", found, "train with " + Backend.THREADS_OPTION + "=1 and report this CPU "
                        + "(its model line above) at jgen's issue tracker: image models would learn from NaN");
    }

    private static List<Line> dataLines() {
        List<Line> lines = new ArrayList<>();
        for (DataPackages.DataPackage p : DataPackages.all()) {
            lines.add(p.installed() ? Line.ok(p.name(), p.usedBy() + " reads " + p.location())
                    : Line.failed(p.name(), "not installed for " + p.usedBy() + " (looked in " + p.location() + ")", p.install()));
        }
        return lines;
    }

    private static Map<String, String> firstProcessor() {
        Map<String, String> fields = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(CPU_INFO)) {
                if (line.isBlank() && !fields.isEmpty()) {
                    break;
                }
                int colon = line.indexOf(':');
                if (colon > 0) {
                    fields.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
                }
            }
        } catch (IOException e) {
            fields.clear();
        }
        return fields;
    }
}
