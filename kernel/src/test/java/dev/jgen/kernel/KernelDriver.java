package dev.jgen.kernel;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs cells in a real jgen kernel through Debian's jupyter_client (src/test/python/drive_kernel.py)
 * and hands back what Jupyter received.
 */
final class KernelDriver {
    static final String PYTHON = "/usr/bin/python3";

    /**
     * One cell to run; {@code interruptAfter} seconds after it starts (or after its first display, when
     * {@code fromFirstDisplay}) the client interrupts it (or null).
     */
    record Cell(String code, Double interruptAfter, boolean complete, boolean fromFirstDisplay, boolean inspect) {
        Cell(String code, Double interruptAfter) {
            this(code, interruptAfter, false, false, false);
        }

        static Cell of(String code) {
            return new Cell(code, null, false, false, false);
        }

        /** Asks for completions at the end of {@code code} instead of running it. */
        static Cell completion(String code) {
            return new Cell(code, null, true, false, false);
        }

        /** Asks for what Shift-Tab shows at the end of {@code code} instead of running it. */
        static Cell inspection(String code) {
            return new Cell(code, null, false, false, true);
        }

        /** Interrupted {@code seconds} after its first display (a training dashboard): once the work is under way on a slow machine too. */
        static Cell interruptedAfterFirstDisplay(String code, double seconds) {
            return new Cell(code, seconds, false, true, false);
        }
    }

    /** What one cell produced. */
    /** What one cell produced; {@code interruptedAt} seconds after its request the client interrupted it (NaN if it did not). */
    record CellRun(JsonObject reply, List<JsonObject> outputs, double seconds, double interruptedAt) {
        String status() {
            return reply.get("status").getAsString();
        }

        String ename() {
            return reply.has("ename") ? reply.get("ename").getAsString() : null;
        }

        String evalue() {
            return reply.has("evalue") ? reply.get("evalue").getAsString() : null;
        }

        List<JsonObject> ofType(String type) {
            return outputs.stream().filter(o -> o.get("type").getAsString().equals(type))
                    .map(o -> o.getAsJsonObject("content")).toList();
        }

        String stream(String name) {
            StringBuilder sb = new StringBuilder();
            for (JsonObject s : ofType("stream")) {
                if (s.get("name").getAsString().equals(name)) {
                    sb.append(s.get("text").getAsString());
                }
            }
            return sb.toString();
        }

        /** Seconds after the request when the first output of this type arrived (outputs that came after the cell ended have none). */
        double firstArrival(String type) {
            return outputs.stream().filter(o -> o.get("type").getAsString().equals(type) && !o.get("at").isJsonNull())
                    .mapToDouble(o -> o.get("at").getAsDouble()).min().orElse(Double.NaN);
        }

        /** The data of the execute_result, or null. */
        JsonObject result() {
            List<JsonObject> results = ofType("execute_result");
            return results.isEmpty() ? null : results.get(0).getAsJsonObject("data");
        }
    }

    record Session(JsonObject kernelInfo, List<CellRun> cells) {}

    static Session run(List<Cell> cells) throws IOException, InterruptedException {
        return run(cells, Map.of());
    }

    /** Runs {@code cells} in a kernel started with these environment variables added. */
    static Session run(List<Cell> cells, Map<String, String> env) throws IOException, InterruptedException {
        JsonObject spec = new JsonObject();
        JsonObject variables = new JsonObject();
        env.forEach(variables::addProperty);
        spec.add("env", variables);
        JsonArray array = new JsonArray();
        for (Cell c : cells) {
            JsonObject o = new JsonObject();
            o.addProperty("code", c.code());
            if (c.interruptAfter() != null) {
                o.addProperty("interrupt_after", c.interruptAfter());
            }
            if (c.fromFirstDisplay()) {
                o.addProperty("interrupt_from_first_display", true);
            }
            if (c.complete()) {
                o.addProperty("complete", true);
            }
            if (c.inspect()) {
                o.addProperty("inspect", true);
            }
            array.add(o);
        }
        spec.add("cells", array);
        Path driver = Path.of(System.getProperty("jgen.repo"), "kernel", "src", "test", "python", "drive_kernel.py");
        ChildProcess.Finished run = ChildProcess.run(new ProcessBuilder(PYTHON, driver.toString()).redirectError(ProcessBuilder.Redirect.INHERIT),
                spec.toString(), Duration.ofMinutes(10));
        String out = run.output();
        if (run.exitCode() != 0) {
            throw new IllegalStateException("the kernel driver failed (exit " + run.exitCode() + "): " + out);
        }
        JsonObject result = new Gson().fromJson(out, JsonObject.class);
        List<CellRun> runs = new ArrayList<>();
        for (JsonElement e : result.getAsJsonArray("results")) {
            JsonObject r = e.getAsJsonObject();
            List<JsonObject> outputs = new ArrayList<>();
            r.getAsJsonArray("outputs").forEach(o -> outputs.add(o.getAsJsonObject()));
            JsonElement interrupted = r.get("interrupted_at");
            runs.add(new CellRun(r.getAsJsonObject("reply"), outputs, r.get("seconds").getAsDouble(),
                    interrupted == null || interrupted.isJsonNull() ? Double.NaN : interrupted.getAsDouble()));
        }
        return new Session(result.getAsJsonObject("kernel_info"), runs);
    }
}
