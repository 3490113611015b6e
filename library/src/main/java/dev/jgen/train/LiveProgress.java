package dev.jgen.train;

import dev.jgen.display.Display;
import dev.jgen.display.Renderable;
import dev.jgen.display.Rendered;

/**
 * Default progress: in a notebook one display area updated in place (a progress line and the loss
 * chart so far), at most twice a second; elsewhere a console line every few seconds.
 */
final class LiveProgress implements TrainingListener {
    private static final long NOTEBOOK_INTERVAL_NANOS = 500_000_000L;
    private static final long CONSOLE_INTERVAL_NANOS = 5_000_000_000L;

    private final Display.Sink sink = Display.sink();
    private String displayId;
    private long lastUpdate;

    @Override
    public void onStep(Progress progress) {
        long now = System.nanoTime();
        long interval = sink != null ? NOTEBOOK_INTERVAL_NANOS : CONSOLE_INTERVAL_NANOS;
        if (lastUpdate != 0 && now - lastUpdate < interval) {
            return;
        }
        lastUpdate = now;
        publish(progress, false);
    }

    @Override
    public void onEpochEnd(Progress progress) {
        if (sink == null) {
            publish(progress, false);
        }
    }

    @Override
    public void onEnd(Progress progress, Throwable failure) {
        publish(progress, true);
    }

    private void publish(Progress progress, boolean last) {
        if (sink == null) {
            System.out.println(progress.line());
            return;
        }
        Renderable view = last ? () -> summary(progress) : () -> Rendered.html(
                "<pre style=\"margin:0\">" + escape(progress.line()) + "</pre>", progress.line());
        if (displayId == null) {
            displayId = sink.show(view);
        } else {
            sink.update(displayId, view);
        }
    }

    private static Rendered summary(Progress progress) {
        String text = progress.line();
        String chart = java.util.Base64.getEncoder().encodeToString(progress.history().chart().png());
        return Rendered.html("<pre style=\"margin:0\">" + escape(text) + "</pre><img src=\"data:image/png;base64,"
                + chart + "\"/>", text);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
