package dev.jgen.display;

import java.util.List;

/**
 * A picture with sliders that redraw it: {@code vae.explore()}, {@code interpolation.explore()}. In a notebook the
 * kernel shows live widgets; elsewhere {@link #render()} is the picture at the sliders' starting values.
 */
public interface Interactive extends Renderable {
    /** One slider: its label, range, step and starting value. */
    record Slider(String name, double min, double max, double step, double value) {}

    List<Slider> sliders();

    /** The picture for these slider values, one per slider in {@link #sliders()} order. */
    Rendered view(double[] values);

    @Override
    default Rendered render() {
        return view(sliders().stream().mapToDouble(Slider::value).toArray());
    }
}
