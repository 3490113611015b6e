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
    private static final List<Integer> SCALES = List.of(2, 3, 4, 8);

    private Pretrained() {}

    /** ESRGAN-slim (a residual dense network) that makes images 2, 3, 4 or 8 times larger. */
    public static Upscaler superResolution(int scale) {
        return superResolution(scale, DataPackages.folder("JGEN_ESRGAN", DataPackages.ESRGAN_SLIM));
    }

    /** ESRGAN-slim from a copy of the npm package in {@code packageDir}. */
    public static Upscaler superResolution(int scale, Path packageDir) {
        if (!SCALES.contains(scale)) {
            throw new IllegalArgumentException("ESRGAN-slim comes in scales " + SCALES + ", not " + scale);
        }
        Path modelJson = packageDir.resolve("models/x" + scale + "/model.json");
        if (!Files.isRegularFile(modelJson)) {
            throw new ImportException("ESRGAN-slim is not installed: " + modelJson + " is missing. Install it with: " + DataPackages.ESRGAN_INSTALL_HINT);
        }
        return new Upscaler(KerasModel.load(modelJson), scale, "ESRGAN-slim");
    }
}
