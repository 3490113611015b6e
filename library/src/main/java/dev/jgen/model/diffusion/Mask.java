package dev.jgen.model.diffusion;

import ai.djl.ndarray.types.Shape;

/**
 * Which pixels to paint in: 1 where the model generates, 0 where the image stays as it is.
 * {@code dm.inpaint(images, Mask.rectangle(8, 8, 12, 12))}. One mask serves every image and channel.
 */
public final class Mask {
    private final int top;
    private final int left;
    private final int height;
    private final int width;
    /** A mask drawn by the user, (H, W) values in [0, 1], or null for a rectangle. */
    private final float[][] drawn;
    private final boolean inverted;

    private Mask(int top, int left, int height, int width, float[][] drawn, boolean inverted) {
        this.top = top;
        this.left = left;
        this.height = height;
        this.width = width;
        this.drawn = drawn;
        this.inverted = inverted;
    }

    /** The block of {@code height} x {@code width} pixels whose top-left pixel is at row {@code top}, column {@code left}. */
    public static Mask rectangle(int top, int left, int height, int width) {
        if (top < 0 || left < 0 || height < 1 || width < 1) {
            throw new IllegalArgumentException("a rectangle needs top and left >= 0 and a size of at least 1 x 1, got top " + top
                    + ", left " + left + ", " + height + " x " + width);
        }
        return new Mask(top, left, height, width, null, false);
    }

    /** A mask drawn as rows of values: 1 (or true) to paint in, 0 to keep. */
    public static Mask of(float[][] rows) {
        float[][] copy = new float[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            copy[r] = rows[r].clone();
            if (copy[r].length != rows[0].length) {
                throw new IllegalArgumentException("mask rows must be of one length: row 0 has " + rows[0].length + ", row " + r + " has " + copy[r].length);
            }
            for (float v : copy[r]) {
                if (!(v >= 0 && v <= 1)) {
                    throw new IllegalArgumentException("mask values lie in [0, 1] (1: paint in), got " + v + " in row " + r);
                }
            }
        }
        return new Mask(0, 0, rows.length, rows.length == 0 ? 0 : rows[0].length, copy, false);
    }

    public static Mask of(boolean[][] rows) {
        float[][] values = new float[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            values[r] = new float[rows[r].length];
            for (int c = 0; c < rows[r].length; c++) {
                values[r][c] = rows[r][c] ? 1 : 0;
            }
        }
        return of(values);
    }

    /** Everything but this mask: keep the block, paint in the rest. */
    public Mask inverted() {
        return new Mask(top, left, height, width, drawn, !inverted);
    }

    /** The mask for n examples of {@code example} shape (C, H, W): 1 where the model paints, as a flat array. */
    public float[] over(int n, Shape example) {
        if (example.dimension() != 3) {
            throw new IllegalArgumentException("masks apply to images (C, H, W), got examples of shape " + example);
        }
        int channels = (int) example.get(0);
        int rows = (int) example.get(1);
        int columns = (int) example.get(2);
        if (drawn != null && (height != rows || width != columns)) {
            throw new IllegalArgumentException("the mask is " + height + " x " + width + " but the images are " + rows + " x " + columns);
        }
        if (drawn == null && (top + height > rows || left + width > columns)) {
            throw new IllegalArgumentException("the rectangle (rows " + top + "-" + (top + height - 1) + ", columns " + left + "-"
                    + (left + width - 1) + ") does not fit in " + rows + " x " + columns + " images");
        }
        float[] plane = new float[rows * columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                float v = drawn != null ? drawn[r][c] : r >= top && r < top + height && c >= left && c < left + width ? 1 : 0;
                plane[r * columns + c] = inverted ? 1 - v : v;
            }
        }
        float[] all = new float[n * channels * plane.length];
        for (int i = 0; i < n * channels; i++) {
            System.arraycopy(plane, 0, all, i * plane.length, plane.length);
        }
        return all;
    }

    @Override
    public String toString() {
        String shape = drawn != null ? "drawn " + height + " x " + width : "rectangle at (" + top + ", " + left + "), " + height + " x " + width;
        return "Mask (" + shape + (inverted ? ", inverted" : "") + ")";
    }
}
