package dev.jgen.train;

import dev.jgen.display.Display;
import dev.jgen.display.Rendered;
import dev.jgen.display.Renderable;
import dev.jgen.display.TextList;

import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Live training view in a notebook: one display area, updated in place, with a progress bar
 * (epoch, step, rate, time left), the latest metrics, the loss chart so far and samples from a fixed
 * probe. Text refreshes at most twice a second. Pictures come every few seconds, and less often when they
 * are dear: the training thread only takes the probe's samples (the model's own work), and spaces them so
 * that they cost at most 1 % of its time; drawing the chart and encoding the pictures happen on a thread
 * of their own. The final state stays in the notebook.
 */
final class NotebookDashboard implements TrainingListener {
    private static final long TEXT_INTERVAL_NANOS = 500_000_000L;
    private static final long PICTURE_INTERVAL_NANOS = 3_000_000_000L;
    /** The most of the training thread's time that taking probe samples may use. */
    private static final double PROBE_SHARE = 0.01;
    private static final ExecutorService PAINTER = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "jgen-dashboard");
        thread.setDaemon(true);
        return thread;
    });

    private final Display.Sink sink;
    private final Supplier<? extends Renderable> probe;
    private String displayId;
    private long lastText;
    private long nextPictures = System.nanoTime() + PICTURE_INTERVAL_NANOS;
    private Future<?> painting;
    private volatile String chartPng;
    /** The probe as an inline image, or as HTML (lines of text). */
    private volatile String probeHtml;

    NotebookDashboard(Display.Sink sink, Supplier<? extends Renderable> probe) {
        this.sink = sink;
        this.probe = probe;
    }

    @Override
    public void onStep(Progress progress) {
        long now = System.nanoTime();
        if (lastText != 0 && now - lastText < TEXT_INTERVAL_NANOS) {
            return;
        }
        lastText = now;
        if (now >= nextPictures && (painting == null || painting.isDone())) {
            Renderable samples = probe == null ? null : probe.get();
            long taken = System.nanoTime() - now;
            History history = progress.history();
            painting = PAINTER.submit(() -> paint(history, samples));
            nextPictures = System.nanoTime() + Math.max(PICTURE_INTERVAL_NANOS, (long) (taken / PROBE_SHARE));
        }
        show(progress, null);
    }

    @Override
    public void onEnd(Progress progress, Throwable failure) {
        if (painting != null) {
            painting.cancel(false);
        }
        paint(progress.history(), probe == null ? null : probe.get());
        show(progress, failure);
    }

    private void paint(History history, Renderable samples) {
        if (history.steps() > 0) {
            chartPng = Base64.getEncoder().encodeToString(history.chart().png());
        }
        if (samples != null) {
            Map<String, Object> views = samples.render().data();
            probeHtml = views.containsKey(Rendered.PNG)
                    ? "<img style=\"max-width:300px\" src=\"data:image/png;base64," + Base64.getEncoder().encodeToString((byte[]) views.get(Rendered.PNG)) + "\"/>"
                    : views.containsKey(Rendered.HTML) ? "<div style=\"max-width:420px\">" + views.get(Rendered.HTML) + "</div>"
                    : "<pre>" + TextList.escape((String) views.get(Rendered.TEXT)) + "</pre>";
        }
    }

    private void show(Progress progress, Throwable failure) {
        Rendered view = Rendered.html(html(progress, failure), progress.line());
        if (displayId == null) {
            displayId = sink.show(() -> view);
        } else {
            sink.update(displayId, () -> view);
        }
    }

    private String html(Progress p, Throwable failure) {
        double fraction = p.stepsPlanned() == 0 ? 0 : Math.min(1, p.step() / (double) p.stepsPlanned());
        String state = failure == null ? (p.step() >= p.stepsPlanned() ? "done" : "training")
                : failure instanceof TrainingInterrupted ? "interrupted" : "stopped: " + failure.getClass().getSimpleName();
        StringBuilder html = new StringBuilder("<div style=\"font-family:monospace;font-size:12px\">");
        html.append(String.format("<div><b>%s</b> %s &middot; epoch %d &middot; step %,d/%,d &middot; %.1f steps/s &middot; %s left</div>",
                TextList.escape(p.title()), state, p.epoch() + 1, p.step(), p.stepsPlanned(), p.stepsPerSecond(),
                Progress.clock(p.secondsLeft())));
        html.append(String.format("<div style=\"background:#e6e6e6;width:420px;height:8px;margin:4px 0\">"
                + "<div style=\"background:%s;width:%.1f%%;height:8px\"></div></div>",
                failure == null ? "#3b82f6" : "#f59e0b", 100 * fraction));
        html.append("<div>");
        for (Map.Entry<String, Double> m : p.metrics().entrySet()) {
            html.append(String.format("%s <b>%.4g</b> &nbsp; ", TextList.escape(m.getKey()), m.getValue()));
        }
        html.append("</div><div style=\"display:flex;gap:12px;align-items:flex-start\">");
        if (chartPng != null) {
            html.append("<img style=\"width:420px\" src=\"data:image/png;base64,").append(chartPng).append("\"/>");
        }
        if (probeHtml != null) {
            html.append(probeHtml);
        }
        return html.append("</div></div>").toString();
    }
}
