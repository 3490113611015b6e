package dev.jgen.plot;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.jgen.display.Png;
import dev.jgen.display.Renderable;
import dev.jgen.display.Rendered;
import dev.jgen.nn.Backend;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Generated (or reconstructed) examples: images (N x C x H x W, values in [0, 1]) render as a grid,
 * 2-D points as a scatter. The values are plain Java data, so they outlive any NDManager.
 */
public class Samples implements Renderable {
    private static final int IMAGE_SCALE = 2;

    private final String title;
    private final float[] values;
    private final long[] shape;
    private final int columns;
    private NDArray array;

    public Samples(String title, float[] values, Shape shape, int columns) {
        if (shape.size() != values.length) {
            throw new IllegalArgumentException(values.length + " values do not fill the shape " + shape);
        }
        this.title = title;
        this.values = values;
        this.shape = shape.getShape();
        this.columns = columns;
    }

    /** A square-ish grid: 64 images show as 8 x 8. */
    public static int squareColumns(int n) {
        return Math.max(1, (int) Math.ceil(Math.sqrt(n)));
    }

    public int size() {
        return (int) shape[0];
    }

    public Shape shape() {
        return new Shape(shape);
    }

    public float[] values() {
        return values.clone();
    }

    /**
     * The samples as an NDArray, (N, C, H, W) or (N, features); no manager needed. The array is made once per
     * Samples and lives as long as the program: for many arrays in a loop, {@link #array(NDManager)} puts them
     * in a manager you close.
     */
    public synchronized NDArray array() {
        if (array == null) {
            array = array(Backend.resultsManager());
        }
        return array;
    }

    /** The samples as an NDArray in {@code manager}. */
    public NDArray array(NDManager manager) {
        return manager.create(values, new Shape(shape));
    }

    /** The first {@code n} examples (all of them when there are fewer). */
    public Samples take(int n) {
        int count = Math.min(n, size());
        long[] dims = shape.clone();
        dims[0] = count;
        int per = values.length / Math.max(1, size());
        return new Samples(title, Arrays.copyOf(values, count * per), new Shape(dims), squareColumns(count));
    }

    public boolean isImages() {
        return shape.length == 4;
    }

    public Samples save(Path pngFile) {
        Png.write(png(), pngFile);
        return this;
    }

    public byte[] png() {
        if (isImages()) {
            return Png.encode(ImageGrid.of(values, size(), (int) shape[1], (int) shape[2], (int) shape[3], columns, IMAGE_SCALE));
        }
        if (shape.length == 2 && shape[1] == 2) {
            return Charts.scatter(title, values, null, null).png();
        }
        throw new IllegalStateException("samples of shape " + shape() + " have no picture; use values() or array()");
    }

    @Override
    public Rendered render() {
        return isImages() || (shape.length == 2 && shape[1] == 2) ? Rendered.png(png(), toString()) : Rendered.text(toString());
    }

    @Override
    public String toString() {
        return String.format("%s: %d x %s", title, size(), Arrays.toString(Arrays.copyOfRange(shape, 1, shape.length)));
    }
}
