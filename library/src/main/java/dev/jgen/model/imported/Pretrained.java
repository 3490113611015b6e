package dev.jgen.model.imported;

import dev.jgen.data.DataPackages;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Models that arrive with their weights in a package, ready to use without training:
 * {@code Pretrained.superResolution(2).enhance(images)}.
 */
public final class Pretrained {
    /**
     * Where {@code npm install -g --prefix /usr/local @upscalerjs/esrgan-slim} puts ESRGAN-slim (MIT licence,
     * Kevin Scott, UpscalerJS); {@code JGEN_ESRGAN} points elsewhere.
     */
    public static final Path DEFAULT_ESRGAN_SLIM = Path.of("/usr/local/lib/node_modules/@upscalerjs/esrgan-slim");
    public static final String ESRGAN_INSTALL_HINT = "sudo npm install -g --prefix /usr/local @upscalerjs/esrgan-slim@1.0.0";
    private static final List<Integer> SCALES = List.of(2, 3, 4, 8);

    private Pretrained() {}

    /** ESRGAN-slim (a residual dense network) that makes images 2, 3, 4 or 8 times larger. */
    public static Upscaler superResolution(int scale) {
        return superResolution(scale, DataPackages.folder("JGEN_ESRGAN", DEFAULT_ESRGAN_SLIM));
    }

    /** ESRGAN-slim from a copy of the npm package in {@code packageDir}. */
    public static Upscaler superResolution(int scale, Path packageDir) {
        if (!SCALES.contains(scale)) {
            throw new IllegalArgumentException("ESRGAN-slim comes in scales " + SCALES + ", not " + scale);
        }
        Path modelJson = packageDir.resolve("models/x" + scale + "/model.json");
        if (!Files.isRegularFile(modelJson)) {
            throw new ImportException("ESRGAN-slim is not installed: " + modelJson + " is missing. Install it with: " + ESRGAN_INSTALL_HINT);
        }
        return new Upscaler(KerasModel.load(modelJson), scale, "ESRGAN-slim");
    }
}
