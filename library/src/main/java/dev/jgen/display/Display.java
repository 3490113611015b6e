package dev.jgen.display;

/**
 * Where live output goes. The Jupyter kernel installs a sink that shows objects as display_data and
 * updates them in place; plain JVM programs have none, and progress falls back to the console.
 */
public final class Display {
    /** Shows renderable objects and replaces them in place by display id. */
    public interface Sink {
        String show(Renderable content);

        void update(String displayId, Renderable content);
    }

    private static volatile Sink sink;

    private Display() {}

    public static void install(Sink newSink) {
        sink = newSink;
    }

    /** The installed sink, or null outside a notebook. */
    public static Sink sink() {
        return sink;
    }
}
