package dev.jgen.kernel.widgets;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;

import java.util.Map;

/**
 * An area that shows what callbacks display: {@code out.display(vae.sample(16))}, {@code out.clear()}. The page
 * routes outputs of the request being answered into it while its {@code msg_id} names that request.
 */
public final class Output extends Widget {
    Output() {
        super("Output", Map.of("msg_id", ""));
    }

    /** Shows {@code value} in this area, as {@code display(value)} shows it below a cell. */
    public Output display(Object value) {
        DisplayData data = comms().renderer().apply(value);
        capture(() -> comms().publish(data));
        return this;
    }

    /** Empties the area. */
    public Output clear() {
        capture(() -> comms().publishClear());
        return this;
    }

    private void capture(Runnable publish) {
        set("msg_id", comms().parentMessageId());
        publish.run();
        set("msg_id", "");
    }

    @Override
    public String toString() {
        return "Output area";
    }
}
