package dev.jgen.kernel;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.WebElement;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A person's view: Jupyter Notebook on 127.0.0.1, the VAE tutorial opened in headless Chromium,
 * Cell > Run All on the jgen kernel, and the inline images checked; a VAE's explorer whose slider, moved
 * with the keyboard, redraws its image. Screenshots land in target/.
 */
class BrowserIT {
    private static final Path REPO = Path.of(System.getProperty("jgen.repo")).toAbsolutePath().normalize();
    private static final Path TARGET = REPO.resolve("kernel/target");
    private static final String NOTEBOOK = "01-vae-fashion-mnist.ipynb";
    private static final String TOKEN = "jgen-browser-test";

    @Test
    void vaeTutorialRunsInChromiumWithInlineImages() throws Exception {
        // A copy: the notebook server autosaves outputs, and the repository's tutorials stay clean.
        Path workdir = Files.createDirectories(TARGET.resolve("browser-notebooks"));
        Files.copy(REPO.resolve("notebooks").resolve(NOTEBOOK), workdir.resolve(NOTEBOOK), StandardCopyOption.REPLACE_EXISTING);
        List<String> command = List.of("/usr/bin/jupyter", "notebook", "--no-browser", "--ip=127.0.0.1",
                "--notebook-dir=" + workdir, "--allow-root");
        Map<String, String> environment = Map.of("JUPYTER_PATH", TARGET.resolve("jupyter").toString());
        Path profile = Files.createTempDirectory("jgen-chromium");
        ChromeDriver browser = null;
        try (NotebookServer jupyter = NotebookServer.start(command, TOKEN, TARGET.resolve("browser-jupyter.log"), environment)) {
            browser = openChromium(profile);
            browser.get(jupyter.url("/notebooks/" + NOTEBOOK));
            waitUntil(browser, Duration.ofSeconds(120), d -> Boolean.TRUE.equals(js(d,
                    "return !!(window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected());")));
            assertEquals("jgen", js(browser, "return Jupyter.notebook.kernel.name;"));

            browser.findElement(By.id("celllink")).click();
            browser.findElement(By.id("run_all_cells")).click();

            waitUntil(browser, Duration.ofMinutes(8), d -> Boolean.TRUE.equals(js(d,
                    "return Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code')"
                            + ".every(c => typeof c.input_prompt_number === 'number')"
                            + " && document.querySelector('#kernel_indicator_icon.kernel_idle_icon') !== null;")));

            long images = (Long) js(browser, "return document.querySelectorAll('.output_png img').length;");
            long errors = (Long) js(browser, "return document.querySelectorAll('.output_error').length;");
            long loadedImages = (Long) js(browser, "return [...document.querySelectorAll('.output_png img')]"
                    + ".filter(i => i.complete && i.naturalWidth > 100).length;");
            js(browser, "document.querySelectorAll('.output_png img')[1].scrollIntoView();");
            Path screenshot = TARGET.resolve("browser-vae-tutorial.png");
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), screenshot, StandardCopyOption.REPLACE_EXISTING);

            assertEquals(0, errors, "no cell shows an error");
            assertTrue(images >= 7, images + " inline images");
            assertEquals(images, loadedImages, "every inline image decodes in the browser");
            assertTrue(Files.size(screenshot) > 10_000);
        } finally {
            if (browser != null) {
                browser.quit();
            }
        }
    }

    @Test
    void movingAnExplorersSliderRedrawsTheImageAndButtonsAndDropdownsCallJava() throws Exception {
        Path workdir = Files.createDirectories(TARGET.resolve("browser-widgets"));
        String notebook = "explore.ipynb";
        Files.writeString(workdir.resolve(notebook), notebookOf(
                "Vae vae = Gen.vae().latent(4).hidden(64).build();\n"
                        + "vae.fit(Datasets.fashionMnist().take(2000), Fit.epochs(2).quiet());",
                "vae.explore()",
                "var out = Widgets.output();\n"
                        + "var clicks = new int[1];\n"
                        + "var again = Widgets.button(\"again\").onClick(() -> out.display(\"clicked \" + (++clicks[0])));\n"
                        + "var kind = Widgets.dropdown(\"kind\", \"first\", \"second\").onChange(k -> out.display(\"picked \" + k));\n"
                        + "Widgets.vbox(Widgets.hbox(again, kind), out)"));
        List<String> command = List.of("/usr/bin/jupyter", "notebook", "--no-browser", "--ip=127.0.0.1",
                "--notebook-dir=" + workdir, "--allow-root");
        Path profile = Files.createTempDirectory("jgen-chromium");
        ChromeDriver browser = null;
        try (NotebookServer jupyter = NotebookServer.start(command, TOKEN, TARGET.resolve("browser-widgets-jupyter.log"),
                Map.of("JUPYTER_PATH", TARGET.resolve("jupyter").toString()))) {
            browser = openChromium(profile);
            browser.get(jupyter.url("/notebooks/" + notebook));
            waitUntil(browser, Duration.ofSeconds(120), d -> Boolean.TRUE.equals(js(d,
                    "return !!(window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected());")));
            browser.findElement(By.id("celllink")).click();
            browser.findElement(By.id("run_all_cells")).click();
            String picture = "return [...document.querySelectorAll('.widget-area img')].map(i => i.src).join('|');";
            waitUntil(browser, Duration.ofMinutes(3), d -> String.valueOf(js(d, picture)).startsWith("data:image/png")
                    && !d.findElements(By.cssSelector(".widget-area .ui-slider-handle")).isEmpty());
            String before = String.valueOf(js(browser, picture));
            long sliders = (Long) js(browser, "return document.querySelectorAll('.widget-area .ui-slider-handle').length;");

            WebElement handle = browser.findElements(By.cssSelector(".widget-area .ui-slider-handle")).get(0);
            handle.sendKeys(Keys.END);
            waitUntil(browser, Duration.ofSeconds(60), d -> !String.valueOf(js(d, picture)).equals(before));
            browser.findElements(By.cssSelector(".widget-area button")).stream().filter(b -> b.getText().contains("again"))
                    .findFirst().orElseThrow().click();
            String widgetText = "return [...document.querySelectorAll('.widget-area')].map(a => a.innerText).join('|');";
            waitUntil(browser, Duration.ofSeconds(60), d -> String.valueOf(js(d, widgetText)).contains("clicked 1"));
            browser.findElement(By.xpath("//div[contains(@class, 'widget-area')]//select/option[normalize-space(.)='second']")).click();
            waitUntil(browser, Duration.ofSeconds(60), d -> String.valueOf(js(d, widgetText)).contains("picked second"));
            Path screenshot = TARGET.resolve("browser-explorer.png");
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), screenshot, StandardCopyOption.REPLACE_EXISTING);

            assertEquals(4, sliders, "one slider per principal direction of the 4-d latent space");
            assertTrue(String.valueOf(js(browser, picture)).startsWith("data:image/png"), "the redrawn picture is a PNG");
            assertEquals(0L, js(browser, "return document.querySelectorAll('.output_error').length;"));
        } finally {
            if (browser != null) {
                browser.quit();
            }
        }
    }

    /** A notebook of code cells for the jgen kernel. */
    private static String notebookOf(String... sources) {
        JsonArray cells = new JsonArray();
        for (String source : sources) {
            JsonObject cell = new JsonObject();
            cell.addProperty("cell_type", "code");
            cell.add("execution_count", null);
            cell.add("metadata", new JsonObject());
            cell.add("outputs", new JsonArray());
            cell.addProperty("source", source);
            cells.add(cell);
        }
        JsonObject kernelspec = new JsonObject();
        kernelspec.addProperty("display_name", "Java (jgen)");
        kernelspec.addProperty("language", "java");
        kernelspec.addProperty("name", "jgen");
        JsonObject metadata = new JsonObject();
        metadata.add("kernelspec", kernelspec);
        JsonObject notebook = new JsonObject();
        notebook.add("cells", cells);
        notebook.add("metadata", metadata);
        notebook.addProperty("nbformat", 4);
        notebook.addProperty("nbformat_minor", 5);
        return notebook.toString();
    }

    private static ChromeDriver openChromium(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--log-level=3", "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1280,1600", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .withLogFile(TARGET.resolve("browser-chromedriver.log").toFile())
                .build();
        return new ChromeDriver(service, options);
    }

    private static void waitUntil(ChromeDriver browser, Duration limit, Predicate<ChromeDriver> condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.test(browser)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the notebook page did not get there within " + limit);
            }
            Thread.sleep(500);
        }
    }

    private static Object js(Object driver, String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }
}
