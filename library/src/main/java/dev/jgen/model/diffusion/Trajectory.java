package dev.jgen.model.diffusion;

import ai.djl.ndarray.types.Shape;
import dev.jgen.display.Png;
import dev.jgen.display.Renderable;
import dev.jgen.display.Rendered;
import dev.jgen.plot.Charts;
import dev.jgen.plot.ImageGrid;
import dev.jgen.plot.Samples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Snapshots of samples being denoised, from pure noise (frame 0) to the result (the last frame).
 * Images render as a grid with one row per sample and one column per frame; points as a row of scatters.
 */
public final class Trajectory implements Renderable {
    private static final int IMAGE_SCALE = 2;

    private final String title;
    private final List<float[]> frames;
    private final long[] shape;

    Trajectory(String title, List<float[]> frames, Shape samplesShape) {
        this.title = title;
        this.frames = List.copyOf(frames);
        this.shape = samplesShape.getShape();
    }

    public int frames() {
        return frames.size();
    }

    /** The samples as they were at frame {@code k} (0 is the starting noise). */
    public Samples frame(int k) {
        if (k < 0 || k >= frames.size()) {
            throw new IllegalArgumentException("frame " + k + " is outside 0.." + (frames.size() - 1));
        }
        return new Samples(title + ", frame " + k, frames.get(k).clone(), new Shape(shape), Samples.squareColumns((int) shape[0]));
    }

    public byte[] png() {
        int n = (int) shape[0];
        if (shape.length == 4) {
            int perImage = (int) (shape[1] * shape[2] * shape[3]);
            float[] grid = new float[n * frames.size() * perImage];
            for (int i = 0; i < n; i++) {
                for (int f = 0; f < frames.size(); f++) {
                    System.arraycopy(frames.get(f), i * perImage, grid, (i * frames.size() + f) * perImage, perImage);
                }
            }
            return Png.encode(ImageGrid.of(grid, n * frames.size(), (int) shape[1], (int) shape[2], (int) shape[3], frames.size(), IMAGE_SCALE));
        }
        if (shape.length == 2 && shape[1] == 2) {
            List<String> titles = new ArrayList<>();
            for (int f = 0; f < frames.size(); f++) {
                titles.add(f == 0 ? "noise" : f == frames.size() - 1 ? "samples" : f + "/" + (frames.size() - 1));
            }
            return Png.encode(Charts.scatterRow(titles, frames));
        }
        throw new IllegalStateException("a trajectory of examples shaped " + new Shape(shape) + " has no picture; use frame(k)");
    }

    public Trajectory save(Path pngFile) {
        Png.write(png(), pngFile);
        return this;
    }

    @Override
    public Rendered render() {
        return Rendered.png(png(), toString());
    }

    @Override
    public String toString() {
        return String.format("%s: %d samples x %d frames", title, shape[0], frames.size());
    }
}
