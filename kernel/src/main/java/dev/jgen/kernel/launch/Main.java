package dev.jgen.kernel.launch;

import dev.jgen.kernel.display.Notebook;
import dev.jgen.kernel.display.Renderers;
import dev.jgen.kernel.eval.ExitGuard;
import dev.jgen.kernel.eval.JShellSession;
import dev.jgen.kernel.protocol.GuardedConnection;
import dev.jgen.kernel.protocol.JgenKernel;
import dev.jgen.kernel.widgets.WidgetComms;
import dev.jgen.nn.Backend;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.kernel.display.Renderer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Starts the kernel on a Jupyter connection file: {@code java -cp lib/* dev.jgen.kernel.launch.Main FILE}. */
public final class Main {
    /** What every notebook has without an import line: the DSL, arrays, paths and tables. */
    static final List<String> STARTUP = List.of(
            "import dev.jgen.*;",
            "import dev.jgen.data.*;",
            "import dev.jgen.model.*;",
            "import dev.jgen.model.vae.*;",
            "import dev.jgen.model.flow.*;",
            "import dev.jgen.model.gan.*;",
            "import dev.jgen.model.diffusion.*;",
            "import dev.jgen.model.imported.*;",
            "import dev.jgen.model.text.*;",
            "import dev.jgen.model.tabular.*;",
            "import dev.jgen.eval.*;",
            "import dev.jgen.train.*;",
            "import dev.jgen.plot.*;",
            "import dev.jgen.kernel.widgets.*;",
            "import ai.djl.Device;",
            "import ai.djl.ndarray.NDArray;",
            "import ai.djl.ndarray.NDList;",
            "import ai.djl.ndarray.NDManager;",
            "import ai.djl.ndarray.types.Shape;",
            "import tech.tablesaw.api.Table;",
            "import java.nio.file.Path;",
            "import java.nio.file.Files;",
            "import java.util.*;",
            "import java.util.stream.*;",
            "import static dev.jgen.kernel.display.Notebook.display;",
            "import static dev.jgen.kernel.display.Notebook.updateDisplay;",
            "import static dev.jgen.kernel.display.Notebook.interruptAfter;");

    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java -cp 'lib/*' dev.jgen.kernel.launch.Main CONNECTION_FILE|--warm-up");
            System.exit(2);
        }
        if (args[0].equals("--warm-up")) {
            warmUpRun();
            return;
        }
        KernelLog.toFile();
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        KernelConnectionProperties connection = readConnectionFile(Path.of(args[0]));
        ExitGuard.install();
        JShellSession session = new JShellSession(STARTUP);
        session.warmUp(Backend::inferenceMode);
        Renderer renderer = new Renderer();
        Renderers.registerAll(renderer);
        WidgetComms widgets = new WidgetComms(session::runOnCellThread, value -> Renderers.render(renderer, value));
        JgenKernel kernel = new JgenKernel(session, renderer, widgets);
        Notebook.install(kernel);
        JupyterConnection jupyter = new GuardedConnection(connection, kernel::takeAbortRequest);
        kernel.onStartup();
        kernel.becomeHandlerForConnection(jupyter);
        jupyter.connect();
        jupyter.waitUntilClose();
        System.exit(0);
    }

    /**
     * What a notebook's first minute does, without Jupyter: start JShell with the imports, run a DSL cell, draw a
     * plot, train a few steps. install/cds-archive runs this under -XX:ArchiveClassesAtExit, so that every kernel
     * afterwards maps those classes from the archive instead of loading and verifying them again.
     */
    private static void warmUpRun() throws Exception {
        System.setProperty("java.awt.headless", "true");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
        try (JShellSession session = new JShellSession(STARTUP)) {
            Renderer renderer = new Renderer();
            Renderers.registerAll(renderer);
            for (String cell : List.of("Gen.device()", "Datasets.moons(200)", "Vae v = Gen.vae().latent(2).hidden(16).build();",
                    "v.fit(Datasets.moons(200), Fit.steps(3).quiet()); v.sample(100)")) {
                JShellSession.Result result = session.run(cell, () -> { });
                if (result.hasValue()) {
                    Renderers.render(renderer, result.value());
                }
            }
        }
    }

    private static KernelConnectionProperties readConnectionFile(Path file) {
        try {
            return KernelConnectionProperties.parse(Files.readString(file));
        } catch (IOException e) {
            System.err.println("jgen: cannot read the connection file " + file + ": " + e.getMessage());
            System.exit(2);
            throw new AssertionError();
        }
    }
}
