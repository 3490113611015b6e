package dev.jgen.kernel.widgets;

import dev.jgen.display.Renderable;
import dev.jgen.display.Rendered;

import java.util.Base64;
import java.util.Map;

/** A picture that can be replaced in place: {@code image.show(vae.sample(16))}. */
public final class ImageView extends Widget {
    private volatile int shown;

    /** {@code first} the picture it opens with (null: empty), {@code width} in CSS pixels ("": the picture's own). */
    ImageView(String width, Rendered first) {
        super("Image", Map.of("_b64value", first == null ? "" : base64(first), "format", "png", "height", "", "width", width));
        shown = first == null ? 0 : 1;
    }

    /** Shows the PNG view of a jgen picture (samples, charts, explorers...). */
    public ImageView show(Renderable picture) {
        return show(picture.render());
    }

    ImageView show(Rendered rendered) {
        set("_b64value", base64(rendered));
        shown++;
        return this;
    }

    /** Shows PNG bytes. */
    public ImageView show(byte[] png) {
        set("_b64value", Base64.getEncoder().encodeToString(png));
        shown++;
        return this;
    }

    private static String base64(Rendered rendered) {
        Object png = rendered.data().get(Rendered.PNG);
        if (!(png instanceof byte[] bytes)) {
            throw new IllegalArgumentException("an image widget shows pictures, and this has none: " + rendered.text());
        }
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Override
    public String toString() {
        return "ImageView (" + shown + " pictures shown)";
    }
}
