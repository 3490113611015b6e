package dev.jgen.plot;

import java.awt.image.BufferedImage;

/** Lays out a batch of images (values in [0, 1], layout N x C x H x W) as one picture. */
public final class ImageGrid {
    private static final int GAP = 2;
    private static final int BACKGROUND = 0x40;

    private ImageGrid() {}

    /**
     * @param values  N*C*H*W floats, clipped to [0, 1]
     * @param columns images per row
     * @param scale   pixel repetition so that 28x28 digits stay visible in a notebook
     */
    public static BufferedImage of(float[] values, int n, int channels, int height, int width, int columns, int scale) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("images need 1 or 3 channels, got " + channels);
        }
        int cols = Math.max(1, Math.min(columns, n));
        int rows = (n + cols - 1) / cols;
        int cellW = width * scale;
        int cellH = height * scale;
        int imgW = cols * cellW + (cols + 1) * GAP;
        int imgH = rows * cellH + (rows + 1) * GAP;
        BufferedImage image = new BufferedImage(imgW, imgH, BufferedImage.TYPE_INT_RGB);
        int bg = (BACKGROUND << 16) | (BACKGROUND << 8) | BACKGROUND;
        for (int y = 0; y < imgH; y++) {
            for (int x = 0; x < imgW; x++) {
                image.setRGB(x, y, bg);
            }
        }
        int plane = height * width;
        for (int i = 0; i < n; i++) {
            int x0 = GAP + (i % cols) * (cellW + GAP);
            int y0 = GAP + (i / cols) * (cellH + GAP);
            int base = i * channels * plane;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int p = y * width + x;
                    int r = Pixels.toByte(values[base + p]);
                    int g = channels == 3 ? Pixels.toByte(values[base + plane + p]) : r;
                    int b = channels == 3 ? Pixels.toByte(values[base + 2 * plane + p]) : r;
                    int rgb = (r << 16) | (g << 8) | b;
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) {
                            image.setRGB(x0 + x * scale + dx, y0 + y * scale + dy, rgb);
                        }
                    }
                }
            }
        }
        return image;
    }
}
