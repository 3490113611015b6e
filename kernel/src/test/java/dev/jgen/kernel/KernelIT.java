package dev.jgen.kernel;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.spi.ToolProvider;

import static dev.jgen.kernel.KernelDriver.Cell;
import static dev.jgen.kernel.KernelDriver.CellRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One real kernel process, driven by Debian's jupyter_client, through the things a notebook does. */
class KernelIT {
    private static KernelDriver.Session session;

    @BeforeAll
    static void runCells() throws Exception {
        Path jar = greeterJar();
        session = KernelDriver.run(List.of(
                Cell.of("1 + 2"),                                                                  // 0
                Cell.of("System.out.println(\"to stdout\");\nSystem.err.println(\"to stderr\");"), // 1
                Cell.of("int x = 5;\nString s = null;\ns.length()"),                              // 2
                Cell.of("int y = 3\nint z = 4;"),                                                   // 3
                Cell.of("throw new IllegalStateException(\"a message for the user\")"),            // 4
                Cell.of("Dataset moons = Datasets.moons(300);\nmoons"),                            // 5
                Cell.of("Vae vae = Gen.vae().latent(2).hidden(32).build();\n"
                        + "History h = vae.fit(moons, Fit.epochs(2).batchSize(50));\nh"),           // 6
                Cell.of("vae.sample(100)"),                                                          // 7
                Cell.of("h.table()"),                                                                // 8
                Cell.of("String id = display(vae.sample(10));\nupdateDisplay(id, h);\nid.length()"), // 9
                Cell.of("Path p = Path.of(\"x\"); NDManager m = null; Shape sh = new Shape(2, 3); sh"), // 10
                new Cell("Thread.sleep(60_000);", 2.0),                                            // 11
                Cell.of("x + 1"),                                                                   // 12
                Cell.of("Datasets.gaussians(10, 0)"),                                               // 13
                Cell.of("System.out.printf(\"%d%n\", 7);"),                                        // 14
                Cell.of("System.out.println(\"early\");\nThread.sleep(2500);\nSystem.out.println(\"late\");"), // 15
                Cell.of("new java.awt.image.BufferedImage(20, 10, java.awt.image.BufferedImage.TYPE_INT_RGB)"), // 16
                Cell.of("new org.knowm.xchart.XYChartBuilder().title(\"t\").build()"),             // 17
                Cell.of("Gen.device()"),                                                            // 18
                Cell.of("Vae big = Gen.vae().build();\nDataset fashion = Datasets.fashionMnist();"),   // 19
                Cell.interruptedAfterFirstDisplay("big.fit(fashion, Fit.epochs(50))", 2.0),         // 20
                Cell.of("big.history().steps() + \" \" + big.sample(4).size()"),                    // 21
                new Cell("while (true) { }", 1.0),                                                  // 22
                new Cell("for (int i = 0; ; i++) {\n  System.out.println(i);\n"
                        + "  long t0 = System.nanoTime();\n  while (System.nanoTime() - t0 < 1_000_000) { }\n}", 1.5), // 23
                Cell.of("\"still alive \" + x"),                                                   // 24
                Cell.of("%seed 7\nDatasets.moons(3).shape()"),                                       // 25
                Cell.of("%device"),                                                                 // 26
                Cell.of("%device gpu"),                                                             // 27
                Cell.of("%time\nThread.sleep(300);"),                                                // 28
                Cell.of("%vars"),                                                                   // 29
                Cell.of("%jars " + jar + "\ngreeter.Greeter.hi()"),                                  // 30
                Cell.of("%bogus"),                                                                  // 31
                Cell.completion("%de"),                                                             // 32
                Cell.completion("Datasets.moo"),                                                    // 33
                Cell.of("Diffusion dm = Gen.diffusion().timesteps(100_000).hidden(32).build();\n"
                        + "dm.fit(moons, Fit.steps(20).quiet());\ndm.trajectory(50, 4, Sampler.ddim(10))"),  // 34
                new Cell("dm.sample(2000, Sampler.ddpm())", 2.0),                                   // 35
                Cell.of("dm.sample(5, Sampler.ddim(5)).size()"),                                    // 36
                Cell.of("int kept = 41;\nSystem.exit(3);\nkept = 0;"),                              // 37
                Cell.of("kept + 1"),                                                                // 38
                Cell.of("Runtime.getRuntime().halt(1)"),                                            // 39
                Cell.completion("String typed = \"a\"; typed.toUpperCa"),                           // 40
                Cell.completion("int n = 3;\nDataset few = Datasets.moons(n);\nfew.sha"),           // 41
                Cell.of("var go = new java.util.concurrent.CountDownLatch(1);\n"
                        + "var printed = new java.util.concurrent.CountDownLatch(1);\n"
                        + "new Thread(() -> {\n  try { go.await(); } catch (InterruptedException e) { return; }\n"
                        + "  System.out.println(\"from the background\");\n  printed.countDown();\n}).start();"),   // 42
                Cell.of("go.countDown();\nprinted.await();\n\"next\"")                                 // 43
        ));
    }

    /** A jar that is on no class path yet, built from source with the JDK's own tools. */
    private static Path greeterJar() throws Exception {
        Path dir = Files.createTempDirectory("jgen-greeter");
        Path source = dir.resolve("greeter/Greeter.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "package greeter; public class Greeter { public static String hi() { return \"hi from a jar\"; } }");
        assertEquals(0, ToolProvider.findFirst("javac").orElseThrow().run(System.out, System.err, "-d", dir.resolve("classes").toString(), source.toString()));
        Path jar = dir.resolve("greeter.jar");
        assertEquals(0, ToolProvider.findFirst("jar").orElseThrow().run(System.out, System.err, "--create", "--file", jar.toString(),
                "-C", dir.resolve("classes").toString(), "."));
        return jar;
    }

    private static CellRun cell(int i) {
        return session.cells().get(i);
    }

    @Test
    void kernelInfoDescribesJava() {
        JsonObject info = session.kernelInfo();
        assertEquals("jgen", info.get("implementation").getAsString());
        assertEquals("java", info.getAsJsonObject("language_info").get("name").getAsString());
        assertEquals("5.3", info.get("protocol_version").getAsString());
    }

    @Test
    void expressionValueBecomesExecuteResult() {
        assertEquals("ok", cell(0).status());
        assertEquals("3", cell(0).result().get("text/plain").getAsString());
    }

    @Test
    void stdoutAndStderrStream() {
        assertEquals("to stdout\n", cell(1).stream("stdout"));
        assertEquals("to stderr\n", cell(1).stream("stderr"));
        assertNull(cell(1).result());
    }

    @Test
    void runtimeErrorShowsTheUsersExceptionAndCellLine() {
        CellRun run = cell(2);
        assertEquals("error", run.status());
        assertEquals("NullPointerException", run.ename());
        assertFalse(run.evalue().contains("$JShell$"), run.evalue());
        String traceback = String.join("\n", run.ofType("error").get(0).getAsJsonArray("traceback").asList().stream()
                .map(e -> e.getAsString()).toList());
        assertTrue(traceback.contains("cell line 3"), traceback);
        assertFalse(traceback.contains("jdk.jshell"), traceback);
        assertFalse(traceback.contains("dev.jgen.kernel"), traceback);

        assertEquals("IllegalStateException", cell(4).ename());
        assertEquals("a message for the user", cell(4).evalue());
    }

    @Test
    void compileErrorGivesTheCompilerMessageAndLine() {
        CellRun run = cell(3);
        assertEquals("CompilationError", run.ename());
        assertTrue(run.evalue().startsWith("line 1:") && run.evalue().contains("';' expected"), run.evalue());
    }

    @Test
    void dslNeedsNoImportsAndRendersPngs() {
        assertPng(cell(5).result());
        assertPng(cell(6).result());
        assertPng(cell(7).result());
        assertTrue(cell(8).result().get("text/html").getAsString().contains("<table>"));
        assertEquals("ok", cell(10).status(), String.valueOf(cell(10).evalue()));
        assertEquals("(2, 3)", cell(10).result().get("text/plain").getAsString());
    }

    @Test
    void fitShowsOneLiveProgressAreaUpdatedInPlace() {
        List<JsonObject> shown = cell(6).ofType("display_data");
        assertEquals(1, shown.size(), "one progress area");
        String id = shown.get(0).getAsJsonObject("transient").get("display_id").getAsString();
        List<JsonObject> updates = cell(6).ofType("update_display_data");
        assertFalse(updates.isEmpty());
        for (JsonObject u : updates) {
            assertEquals(id, u.getAsJsonObject("transient").get("display_id").getAsString());
        }
        assertTrue(updates.size() <= 2 + cell(6).seconds() * 2, "throttled to about two updates a second");
        String last = updates.get(updates.size() - 1).getAsJsonObject("data").get("text/html").getAsString();
        assertTrue(last.contains("done"), last.substring(0, Math.min(300, last.length())));
        assertEquals(2, last.split("data:image/png;base64,", -1).length - 1, "the final state shows the loss chart and probe samples");
    }

    @Test
    void displayAndUpdateDisplayFollowIJavaConventions() {
        CellRun run = cell(9);
        assertEquals("ok", run.status(), String.valueOf(run.evalue()));
        JsonObject shown = run.ofType("display_data").get(0);
        assertPng(shown.getAsJsonObject("data"));
        String id = shown.getAsJsonObject("transient").get("display_id").getAsString();
        JsonObject update = run.ofType("update_display_data").get(0);
        assertEquals(id, update.getAsJsonObject("transient").get("display_id").getAsString());
        assertEquals(String.valueOf(id.length()), run.result().get("text/plain").getAsString());
    }

    @Test
    void interruptStopsABlockingCellAndTheKernelGoesOn() {
        CellRun run = cell(11);
        assertEquals("Interrupted", run.ename());
        assertTrue(run.seconds() < 10, "took " + run.seconds());
        assertEquals("6", cell(12).result().get("text/plain").getAsString(), "state survives the interrupt");
    }

    @Test
    void dslErrorsAreOneClearSentence() {
        assertEquals("IllegalArgumentException", cell(13).ename());
        assertTrue(cell(13).evalue().contains("k must be at least 1"), cell(13).evalue());
        assertEquals(1, cell(13).ofType("error").get(0).getAsJsonArray("traceback").size(), "no stack frames");
    }

    @Test
    void aTrailingSemicolonKeepsTheValueOutOfTheNotebook() {
        assertEquals("7\n", cell(14).stream("stdout"));
        assertNull(cell(14).result());
    }

    @Test
    void outputStreamsWhileTheCellIsStillRunning() {
        CellRun run = cell(15);
        assertEquals("early\nlate\n", run.stream("stdout"));
        assertTrue(run.seconds() > 2.5);
        assertTrue(run.firstArrival("stream") < 1.5, "first line arrived after " + run.firstArrival("stream") + " s");
    }

    @Test
    void imagesChartsAndTheDeviceRender() {
        assertPng(cell(16).result());
        assertPng(cell(17).result());
        String device = cell(18).result().get("text/plain").getAsString();
        assertTrue(device.matches("cpu\\(\\)|gpu\\(\\d+\\)"), device);
    }

    @Test
    void interruptingFitStopsAtAStepBoundaryAndKeepsTheModel() {
        CellRun run = cell(20);
        assertEquals("Interrupted", run.ename());
        assertTrue(run.evalue().startsWith("interrupted at epoch 1, step "), run.evalue());
        assertTrue(run.seconds() - run.interruptedAt() < 2.0, "stopped " + (run.seconds() - run.interruptedAt()) + " s after the interrupt");
        List<JsonObject> errors = run.ofType("error");
        assertEquals(1, errors.get(0).getAsJsonArray("traceback").size(), "one readable line");
        String[] stepsAndSamples = cell(21).result().get("text/plain").getAsString().replace("\"", "").split(" ");
        assertTrue(Integer.parseInt(stepsAndSamples[0]) > 0, "finished steps are kept");
        assertEquals("4", stepsAndSamples[1], "the model still samples");
    }

    @Test
    void diffusionSamplingRendersAndStopsAtAnInterrupt() {
        assertEquals("ok", cell(34).status(), String.valueOf(cell(34).evalue()));
        assertPng(cell(34).result());
        CellRun run = cell(35);
        assertEquals("Interrupted", run.ename());
        assertTrue(run.evalue().startsWith("sampling stopped by an interrupt after "), run.evalue());
        assertEquals(1, run.ofType("error").get(0).getAsJsonArray("traceback").size(), "one readable line");
        assertTrue(run.seconds() < 2.0 + 2.0, "stopped " + (run.seconds() - 2.0) + " s after the interrupt");
        assertEquals("5", cell(36).result().get("text/plain").getAsString(), "the model samples again");
    }

    @Test
    void runawayLoopsAreStoppedEvenWhenTheyIgnoreInterrupts() {
        assertEquals("Interrupted", cell(22).ename());
        assertTrue(cell(22).seconds() < 6, "took " + cell(22).seconds());
        CellRun printing = cell(23);
        assertEquals("Interrupted", printing.ename());
        String[] lines = printing.stream("stdout").split("\n");
        assertTrue(lines.length > 500, "printed " + lines.length + " lines");
        assertTrue(printing.ofType("stream").size() < lines.length / 5,
                printing.ofType("stream").size() + " stream messages for " + lines.length + " lines: prints are batched");
        assertEquals("still alive 5", cell(24).result().get("text/plain").getAsString().replace("\"", ""));
    }

    @Test
    void magicsSeedShowTheDeviceTimeListVariablesAndAddJars() {
        assertTrue(cell(25).stream("stdout").contains("seeded"), cell(25).stream("stdout"));
        assertEquals("(3, 2)", cell(25).result().get("text/plain").getAsString());
        String device = cell(18).result().get("text/plain").getAsString();
        assertEquals(device, cell(26).result().get("text/plain").getAsString(), "%device shows the device the DSL uses");
        if (device.equals("cpu()")) {
            assertEquals("MagicError", cell(27).ename());
            assertTrue(cell(27).evalue().contains("no GPU"), cell(27).evalue());
        } else {
            assertEquals("ok", cell(27).status(), "on a GPU machine %device gpu switches: " + cell(27).evalue());
        }
        String timed = cell(28).stream("stdout");
        assertTrue(timed.matches("(?s)wall time: \\d+\\.\\d{3} s\\s*"), timed);
        double wall = Double.parseDouble(timed.replaceAll("[^0-9.]", ""));
        // At least the 0.3 s sleep; at most the whole cell as the client timed it.
        assertTrue(wall >= 0.3 && wall <= cell(28).seconds(), wall + " s reported, cell took " + cell(28).seconds() + " s");
        String vars = cell(29).result().get("text/html").getAsString();
        assertTrue(vars.contains("moons") && vars.contains("Dataset moons: 300 examples") && vars.contains("VAE ("), vars);
        assertFalse(vars.contains("$"), "JShell's temporaries stay hidden");
        assertEquals("ok", cell(30).status(), String.valueOf(cell(30).evalue()));
        assertTrue(cell(30).result().get("text/plain").getAsString().contains("hi from a jar"));
        assertEquals("UnknownMagic", cell(31).ename());
    }

    @Test
    void completionCoversMagicsAndTheDsl() {
        assertEquals(List.of("device"), strings(cell(32).reply().getAsJsonArray("matches")));
        assertTrue(strings(cell(33).reply().getAsJsonArray("matches")).contains("moons("));
    }

    @Test
    void completionSeesVariablesDeclaredEarlierInTheSameUnrunCell() {
        JsonObject typed = cell(40).reply();
        assertTrue(strings(typed.getAsJsonArray("matches")).contains("toUpperCase("), typed.toString());
        assertEquals("String typed = \"a\"; typed.".length(), typed.get("cursor_start").getAsInt(), "replaces only what was typed after the dot");
        JsonObject dataset = cell(41).reply();
        assertTrue(strings(dataset.getAsJsonArray("matches")).contains("shape()"), dataset.toString());
    }

    @Test
    void systemExitEndsTheCellNotTheKernel() {
        CellRun exit = cell(37);
        assertEquals("SystemExit", exit.ename());
        assertTrue(exit.evalue().startsWith("System.exit(3) does not end a notebook's kernel"), exit.evalue());
        assertEquals(1, exit.ofType("error").get(0).getAsJsonArray("traceback").size(), "one readable line");
        assertEquals("42", cell(38).result().get("text/plain").getAsString(), "the kernel and its variables survive; the cell stopped at the exit");
        assertEquals("SystemExit", cell(39).ename());
        assertTrue(cell(39).evalue().startsWith("Runtime.halt(1)"), cell(39).evalue());
    }

    @Test
    void aBackgroundThreadPrintsIntoTheCellThatStartedIt() {
        assertEquals("ok", cell(42).status(), String.valueOf(cell(42).evalue()));
        assertEquals("from the background\n", cell(42).stream("stdout"), "printed while the next cell ran, shown under its own cell");
        assertEquals("", cell(43).stream("stdout"));
        assertEquals("next", cell(43).result().get("text/plain").getAsString());
    }

    private static List<String> strings(com.google.gson.JsonArray array) {
        return array.asList().stream().map(e -> e.getAsString()).toList();
    }

    private static void assertNull(Object o) {
        assertTrue(o == null, "expected nothing, got " + o);
    }

    private static void assertPng(JsonObject data) {
        assertNotNull(data);
        assertTrue(data.has("image/png"), "expected image/png in " + data.keySet());
        assertTrue(data.get("image/png").getAsString().startsWith("iVBOR"));
    }
}
