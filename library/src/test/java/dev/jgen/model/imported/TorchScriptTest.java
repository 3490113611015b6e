package dev.jgen.model.imported;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.jgen.Gen;
import dev.jgen.model.GenerativeModel;
import dev.jgen.model.diffusion.Diffusion;
import dev.jgen.model.diffusion.NoiseSchedule;
import dev.jgen.model.diffusion.Sampler;
import dev.jgen.nn.Backend;
import dev.jgen.plot.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Networks exported from PyTorch as TorchScript. The fixtures in src/test/resources/torchscript were written by
 * Debian's PyTorch 1.13 (python3-torch) with export_fixtures.py, which also stored PyTorch's own outputs for
 * fixed inputs in outputs.json; to re-create them: {@code cd library/src/test/resources/torchscript &&
 * /usr/bin/python3 export_fixtures.py}.
 */
class TorchScriptTest {
    private static final Path FIXTURES = Path.of("src/test/resources/torchscript");

    @TempDir
    Path dir;

    @Test
    void anImportedGeneratorComputesWhatPyTorchComputed() throws IOException {
        JsonObject io = outputs().getAsJsonObject("generator");
        ImportedGenerator g = Gen.torchScript(FIXTURES.resolve("generator.pt")).generator(8);
        assertEquals(new Shape(1, 16, 16), g.exampleShape());
        try (NDManager m = Backend.newManager()) {
            NDArray z = array(m, io.getAsJsonObject("z"));
            NDArray expected = array(m, io.getAsJsonObject("images"));
            NDArray ours = g.decode(z);
            assertEquals(expected.getShape(), ours.getShape());
            assertArrayEquals(expected.toFloatArray(), ours.toFloatArray(), 1e-5f);
        }
    }

    @Test
    void anImportedGeneratorSamplesInterpolatesSavesAndLoads() {
        ImportedGenerator g = Gen.torchScript(FIXTURES.resolve("generator.pt")).generator(8);
        Samples s = g.sample(6);
        assertEquals("(6, 1, 16, 16)", s.shape().toString());
        assertTrue(s.png().length > 100);
        assertEquals(15, g.interpolate(3, 5).size());
        assertEquals(15, g.interpolate(3, 5).slerp().size());
        g.save(dir.resolve("imported"));
        ImportedGenerator back = Gen.load(dir.resolve("imported"), ImportedGenerator.class);
        assertTrue(back instanceof ImportedGenerator, back.toString());
        Gen.seed(3);
        float[] first = g.sample(2).values();
        Gen.seed(3);
        assertArrayEquals(first, back.sample(2).values(), 0f);
        assertThrows(UnsupportedOperationException.class, () -> g.fit(null, null));
    }

    @Test
    void anImportedDenoiserPredictsWhatPyTorchPredictedAndSamplesWithJgensSamplers() throws IOException {
        JsonObject io = outputs().getAsJsonObject("denoiser");
        TorchScript module = Gen.torchScript(FIXTURES.resolve("denoiser.pt"));
        try (NDManager m = Backend.newManager()) {
            NDArray noise = module.forward(array(m, io.getAsJsonObject("x")), array(m, io.getAsJsonObject("t")));
            assertArrayEquals(array(m, io.getAsJsonObject("noise")).toFloatArray(), noise.toFloatArray(), 1e-5f);
        }
        Diffusion dm = module.denoiser(NoiseSchedule.cosine(100), new Shape(2));
        for (Sampler sampler : new Sampler[] {Sampler.ddim(20), Sampler.ddpm(), Sampler.dpmSolver(10), Sampler.euler(10)}) {
            float[] points = dm.sample(50, sampler).values();
            assertEquals(100, points.length);
            for (float v : points) {
                assertTrue(Float.isFinite(v), sampler + " gave " + v);
            }
        }
        assertEquals(5, dm.trajectory(3, 5).frames());
        Gen.seed(1);
        float[] first = dm.sample(4, Sampler.ddim(10)).values();
        Gen.seed(1);
        assertArrayEquals(first, dm.sample(4, Sampler.ddim(10)).values(), 0f, "DDIM is deterministic given the noise");
    }

    @Test
    void aFileFromANewerPyTorchIsExplainedInOneSentence() {
        ImportException e = assertThrows(ImportException.class, () -> Gen.torchScript(FIXTURES.resolve("from-the-future.pt")));
        System.out.println(e.getMessage());
        assertTrue(e.getMessage().contains("version 99"), e.getMessage());
        assertTrue(e.getMessage().contains("libtorch " + Backend.engine().getVersion()), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        ImportException missing = assertThrows(ImportException.class, () -> Gen.torchScript(dir.resolve("nothing.pt")));
        assertTrue(missing.getMessage().contains("torch.jit.script"), missing.getMessage());
        ImportException wrongSize = assertThrows(ImportException.class, () -> Gen.torchScript(FIXTURES.resolve("generator.pt")).generator(5));
        assertTrue(wrongSize.getMessage().contains("latents of size 5"), wrongSize.getMessage());
    }

    private static JsonObject outputs() throws IOException {
        return JsonParser.parseString(Files.readString(FIXTURES.resolve("outputs.json"))).getAsJsonObject();
    }

    private static NDArray array(NDManager m, JsonObject stored) {
        long[] shape = new com.google.gson.Gson().fromJson(stored.get("shape"), long[].class);
        float[] values = new com.google.gson.Gson().fromJson(stored.get("values"), float[].class);
        return m.create(values, new Shape(shape));
    }
}
