package dev.jgen.kernel.widgets;

import dev.jgen.display.Interactive;
import dev.jgen.display.Renderable;

import java.util.ArrayList;
import java.util.List;

/**
 * Jupyter widgets from Java: sliders, dropdowns, buttons, images, output areas and boxes, with Java callbacks.
 * <pre>
 * ImageView picture = Widgets.image(vae.sample(16));
 * Button again = Widgets.button("new samples").onClick(() -&gt; picture.show(vae.sample(16)));
 * Widgets.vbox(again, picture)
 * </pre>
 * A cell whose value is an {@link Interactive} ({@code vae.explore()}) shows as sliders and a picture.
 */
public final class Widgets {
    /** How wide an explorer draws its picture: small images (28x28) become readable. */
    static final String EXPLORER_WIDTH = "280";

    private Widgets() {}

    /** A slider from {@code min} to {@code max} in steps of {@code step}, starting at {@code value}. */
    public static Slider slider(String description, double min, double max, double step, double value) {
        if (!(min < max) || !(step > 0) || value < min || value > max) {
            throw new IllegalArgumentException(String.format("slider(%s, min %s, max %s, step %s, value %s): needs min < max, "
                    + "a positive step and min <= value <= max", description, min, max, step, value));
        }
        return new Slider(description, min, max, step, value);
    }

    /** A choice among {@code options}, the first chosen. */
    public static Dropdown dropdown(String description, String... options) {
        if (options.length == 0) {
            throw new IllegalArgumentException("dropdown(" + description + ") needs at least one option");
        }
        return new Dropdown(description, List.of(options));
    }

    public static Button button(String description) {
        return new Button(WidgetComms.current(), description);
    }

    /** An empty picture; {@code show(...)} fills it. */
    public static ImageView image() {
        return new ImageView("", null);
    }

    /** A picture of {@code content} (samples, a chart, anything jgen draws as PNG). */
    public static ImageView image(Renderable content) {
        return new ImageView("", content.render());
    }

    /** An area callbacks can display into. */
    public static Output output() {
        return new Output();
    }

    public static Box hbox(Widget... children) {
        return new Box(true, List.of(children));
    }

    public static Box vbox(Widget... children) {
        return new Box(false, List.of(children));
    }

    /** Sliders beside the picture they redraw: how a cell shows {@code vae.explore()}. */
    public static Box explore(Interactive interactive) {
        List<Interactive.Slider> specs = interactive.sliders();
        List<Widget> sliders = new ArrayList<>();
        ImageView picture = new ImageView(EXPLORER_WIDTH, interactive.render());
        double[] values = specs.stream().mapToDouble(Interactive.Slider::value).toArray();
        for (int k = 0; k < specs.size(); k++) {
            Interactive.Slider spec = specs.get(k);
            int index = k;
            sliders.add(slider(spec.name(), spec.min(), spec.max(), spec.step(), spec.value()).onChange(v -> {
                values[index] = v;
                picture.show(interactive.view(values.clone()));
            }));
        }
        return hbox(vbox(sliders.toArray(Widget[]::new)), picture);
    }
}
