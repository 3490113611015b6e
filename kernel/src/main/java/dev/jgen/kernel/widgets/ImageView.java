package dev.jgen.kernel.widgets;

import dev.jgen.display.Renderable;
import dev.jgen.display.Rendered;

import java.util.Base64;
import java.util.Map;

/** A picture that can be replaced in place: {@code image.show(vae.sample(16))}. */
public final class ImageView extends Widget {
    private volatile int shown;

    ImageView(String width) {
        super("Image", Map.of("_b64value", "", "format", "png", "height", "", "width", width));
    }

    /** Shows the PNG view of a jgen picture (samples, charts, explorers...). */
    public ImageView show(Renderable picture) {
        return show(picture.render());
    }

    ImageView show(Rendered rendered) {
        Object png = rendered.data().get(Rendered.PNG);
        if (!(png instanceof byte[] bytes)) {
            throw new IllegalArgumentException("an image widget shows pictures, and this has none: " + rendered.text());
        }
        return show(bytes);
    }

    /** Shows PNG bytes. */
    public ImageView show(byte[] png) {
        set("_b64value", Base64.getEncoder().encodeToString(png));
        shown++;
        return this;
    }

    @Override
    public String toString() {
        return "ImageView (" + shown + " pictures shown)";
    }
}
