package dev.jgen.plot;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** Between pictures and jgen's values: RGB planes (C, H, W) of floats in [0, 1]. */
public final class Pixels {
    private Pixels() {}

    /** The image as three planes (R, G, B) of values in [0, 1]. */
    public static float[] planes(BufferedImage image) {
        float[] planes = new float[3 * image.getWidth() * image.getHeight()];
        toPlanes(image, planes, 0);
        return planes;
    }

    /** Writes an image as three planes (R, G, B) of values in [0, 1] at {@code offset}; alpha is dropped. */
    public static void toPlanes(BufferedImage image, float[] into, int offset) {
        int width = image.getWidth();
        int plane = width * image.getHeight();
        int[] pixels = image.getRGB(0, 0, width, image.getHeight(), null, 0, width);
        for (int p = 0; p < plane; p++) {
            int c = pixels[p];
            into[offset + p] = ((c >> 16) & 0xff) / 255f;
            into[offset + plane + p] = ((c >> 8) & 0xff) / 255f;
            into[offset + 2 * plane + p] = (c & 0xff) / 255f;
        }
    }

    /** An RGB picture of one example: {@code channels} (1 or 3) planes of height x width values from {@code offset}, clipped to [0, 1]. */
    public static BufferedImage image(float[] values, int offset, int channels, int height, int width) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int plane = height * width;
        int[] rgb = new int[plane];
        for (int p = 0; p < plane; p++) {
            int r = toByte(values[offset + p]);
            int g = channels == 3 ? toByte(values[offset + plane + p]) : r;
            int b = channels == 3 ? toByte(values[offset + 2 * plane + p]) : r;
            rgb[p] = (r << 16) | (g << 8) | b;
        }
        image.setRGB(0, 0, width, height, rgb, 0, width);
        return image;
    }

    /** The image drawn at width x height as RGB, with an interpolation of {@link RenderingHints} (e.g. VALUE_INTERPOLATION_BICUBIC). */
    public static BufferedImage resized(BufferedImage image, int width, int height, Object interpolation) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
        g.drawImage(image, 0, 0, width, height, null);
        g.dispose();
        return out;
    }

    /** A value in [0, 1] as the nearest of 256 levels (NaN as 0). */
    public static int toByte(float v) {
        float clipped = Float.isNaN(v) ? 0f : Math.max(0f, Math.min(1f, v));
        return Math.round(clipped * 255f);
    }
}
