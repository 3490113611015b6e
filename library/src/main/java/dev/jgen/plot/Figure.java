package dev.jgen.plot;

import dev.jgen.display.Png;
import dev.jgen.display.Renderable;
import dev.jgen.display.Rendered;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** An XChart chart that renders inline as PNG; {@link #chart()} gives the chart for restyling. */
public final class Figure implements Renderable {
    private final Chart<?, ?> chart;

    public Figure(Chart<?, ?> chart) {
        this.chart = chart;
    }

    public Chart<?, ?> chart() {
        return chart;
    }

    public byte[] png() {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("could not draw the chart '" + chart.getTitle() + "'", e);
        }
    }

    public Figure save(Path file) {
        Png.write(png(), file);
        return this;
    }

    @Override
    public Rendered render() {
        return Rendered.png(png(), toString());
    }

    @Override
    public String toString() {
        String title = chart.getTitle();
        return "Figure" + (title == null || title.isEmpty() ? "" : " '" + title + "'");
    }
}
