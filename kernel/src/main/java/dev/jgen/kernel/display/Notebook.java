package dev.jgen.kernel.display;

import dev.jgen.display.Display;
import dev.jgen.display.Renderable;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

import java.util.UUID;

/**
 * {@code display(obj)} and {@code updateDisplay(id, obj)} for notebook code (the IJava conventions),
 * and the library's live-output sink. Both need a running cell; outside one they do nothing.
 */
public final class Notebook implements Display.Sink {
    private final BaseKernel kernel;
    private static volatile Notebook current;

    private Notebook(BaseKernel kernel) {
        this.kernel = kernel;
    }

    public static void install(BaseKernel kernel) {
        current = new Notebook(kernel);
        Display.install(current);
    }

    /** Shows {@code value} below the cell and returns its display id for {@link #updateDisplay}. */
    public static String display(Object value) {
        Notebook n = current;
        String id = UUID.randomUUID().toString();
        if (n != null && n.kernel.getIO().display.isAttached()) {
            DisplayData data = new DisplayData(Renderers.render(n.kernel.getRenderer(), value));
            data.setDisplayId(id);
            n.kernel.getIO().display.display(data);
        }
        return id;
    }

    /** Replaces what {@code display} showed under {@code displayId}. */
    public static void updateDisplay(String displayId, Object value) {
        Notebook n = current;
        if (n != null && n.kernel.getIO().display.isAttached()) {
            n.kernel.getIO().display.updateDisplay(displayId, new DisplayData(Renderers.render(n.kernel.getRenderer(), value)));
        }
    }

    /**
     * Interrupts whatever cell is running {@code seconds} from now, exactly as the notebook's stop
     * button does: a time limit for a cell, and a way to show interruption in a notebook run unattended.
     */
    public static void interruptAfter(double seconds) {
        Notebook n = current;
        if (n == null) {
            return;
        }
        Thread timer = new Thread(() -> {
            try {
                Thread.sleep((long) (seconds * 1000));
                n.kernel.interrupt();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "jgen-interrupt-after");
        timer.setDaemon(true);
        timer.start();
    }

    @Override
    public String show(Renderable content) {
        return display(content);
    }

    @Override
    public void update(String displayId, Renderable content) {
        updateDisplay(displayId, content);
    }
}
