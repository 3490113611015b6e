package dev.jgen.eval;

import dev.jgen.plot.Pixels;

import java.awt.image.BufferedImage;

/**
 * Peak signal-to-noise ratio, 10 log10(peak^2 / mean squared error), in dB: how close a restored image is
 * to the original (infinite when they are equal). The measure super-resolution and denoising papers report.
 */
public final class Psnr {
    private Psnr() {}

    /** Between two pictures of the same size, over their RGB channels on the 0-255 scale. */
    public static double between(BufferedImage a, BufferedImage b) {
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            throw new IllegalArgumentException("PSNR compares images of one size, got " + a.getWidth() + " x " + a.getHeight()
                    + " and " + b.getWidth() + " x " + b.getHeight());
        }
        return between(Pixels.planes(a), Pixels.planes(b), 1);
    }

    /** Between two arrays of values whose range is {@code peak} (1 for jgen's images). */
    public static double between(float[] a, float[] b, double peak) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("PSNR compares arrays of one length, got " + a.length + " and " + b.length);
        }
        double squares = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            squares += d * d;
        }
        return 10 * Math.log10(peak * peak / (squares / a.length));
    }
}
