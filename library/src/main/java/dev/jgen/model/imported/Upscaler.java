package dev.jgen.model.imported;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.jgen.data.Dataset;
import dev.jgen.nn.Backend;
import dev.jgen.nn.Ops;
import dev.jgen.plot.Pixels;
import dev.jgen.plot.Samples;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A super-resolution network: images in, images {@code scale} times larger out. Grey images go through
 * as three equal channels and come back grey. Built by {@link Pretrained#superResolution(int)}.
 */
public final class Upscaler implements AutoCloseable {
    /** Pixels the network sees per batch; larger inputs go one image at a time. */
    private static final long PIXELS_PER_BATCH = 1 << 16;

    private final KerasModel network;
    private final int scale;
    private final String name;

    Upscaler(KerasModel network, int scale, String name) {
        this.network = network;
        this.scale = scale;
        this.name = name;
    }

    public int scale() {
        return scale;
    }

    /** The images of a data set (1 or 3 channels, values in [0, 1]), {@code scale} times larger. */
    public Samples enhance(Dataset images) {
        requireImages(images.isImage(), images.exampleShape());
        return enhance(images.toFloatArray(), images.size(), images.exampleShape(), images.name());
    }

    /** Generated images, e.g. {@code sr.enhance(vae.sample(16))}, {@code scale} times larger. */
    public Samples enhance(Samples images) {
        requireImages(images.isImages(), images.shape().slice(1));
        return enhance(images.values(), images.size(), images.shape().slice(1), "samples");
    }

    /** A picture, {@code scale} times larger (alpha is dropped). */
    public BufferedImage enhance(BufferedImage image) {
        float[] planes = Pixels.planes(image);
        float[] big = upscale(planes, 1, 3, image.getHeight(), image.getWidth());
        return Pixels.image(big, 0, 3, image.getHeight() * scale, image.getWidth() * scale);
    }

    /** An image file (PNG, JPEG, GIF, BMP), {@code scale} times larger; save it with {@code ImageIO.write}. */
    public BufferedImage enhance(Path imageFile) {
        BufferedImage image;
        try {
            image = Files.isRegularFile(imageFile) ? ImageIO.read(imageFile.toFile()) : null;
        } catch (IOException e) {
            image = null;
        }
        if (image == null) {
            throw new IllegalArgumentException(imageFile.toAbsolutePath() + " is not an image jgen can read (PNG, JPEG, GIF or BMP)");
        }
        return enhance(image);
    }

    private Samples enhance(float[] values, int n, Shape example, String what) {
        int channels = (int) example.get(0);
        int height = (int) example.get(1);
        int width = (int) example.get(2);
        float[] big = upscale(values, n, channels, height, width);
        return new Samples(name + " of " + what, big, new Shape(n, channels, (long) height * scale, (long) width * scale), Samples.squareColumns(n));
    }

    /** n images (channels 1 or 3) through the network, in batches, as values in [0, 1]. */
    private float[] upscale(float[] values, int n, int channels, int height, int width) {
        int in = channels * height * width;
        int out = in * scale * scale;
        float[] result = new float[n * out];
        int batch = (int) Math.max(1, PIXELS_PER_BATCH / ((long) height * width));
        Backend.inferenceMode();
        for (int from = 0; from < n; from += batch) {
            int count = Math.min(batch, n - from);
            try (NDManager m = Backend.newManager()) {
                NDArray x = m.create(Arrays.copyOfRange(values, from * in, (from + count) * in), new Shape(count, channels, height, width));
                if (channels == 1) {
                    x = x.repeat(1, 3);
                }
                // The network works on pixel values 0-255.
                NDArray y = network.predict(x.mul(Ops.scalar(m, 255))).div(Ops.scalar(m, 255));
                if (channels == 1) {
                    y = y.mean(new int[] {1}, true);
                }
                float[] part = Ops.clamp(y, 0, 1, m).toFloatArray();
                System.arraycopy(part, 0, result, from * out, part.length);
            }
        }
        return result;
    }

    private static void requireImages(boolean images, Shape example) {
        if (!images || (example.get(0) != 1 && example.get(0) != 3)) {
            throw new IllegalArgumentException("super-resolution takes images with 1 or 3 channels, got examples of shape " + example);
        }
    }

    @Override
    public void close() {
        network.close();
    }

    @Override
    public String toString() {
        return name + " (" + scale + "x)";
    }
}
