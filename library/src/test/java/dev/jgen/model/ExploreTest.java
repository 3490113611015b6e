package dev.jgen.model;

import dev.jgen.Gen;
import dev.jgen.data.Dataset;
import dev.jgen.data.Datasets;
import dev.jgen.display.Interactive;
import dev.jgen.display.Rendered;
import dev.jgen.model.gan.Gan;
import dev.jgen.model.vae.Vae;
import dev.jgen.train.Fit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sliders that redraw: vae.explore(), gan.explore(), interpolation.explore(). */
class ExploreTest {
    private static Dataset images;
    private static Vae vae;

    @BeforeAll
    static void train() {
        Gen.seed(3);
        images = Datasets.fashionMnist().take(2000);
        vae = Gen.vae().latent(8).hidden(128).build();
        vae.fit(images, Fit.epochs(1).quiet());
    }

    @Test
    void vaeSlidersFollowThePrincipalDirectionsOfTheCodesLargestFirst() {
        LatentExplorer explorer = vae.explore();
        assertEquals(6, explorer.sliders().size());
        Interactive.Slider first = explorer.sliders().get(0);
        assertEquals(-3, first.min());
        assertEquals(3, first.max());
        double[] moves = new double[6];
        double previous = Double.MAX_VALUE;
        float[] origin = explorer.latent(new double[6]);
        for (int k = 0; k < 6; k++) {
            moves[k] = 1;
            double length = distance(explorer.latent(moves), origin);
            assertTrue(length > 0 && length <= previous + 1e-6, "one standard deviation along direction " + (k + 1) + " moves " + length);
            previous = length;
            moves[k] = 0;
        }
        assertPictureChanges(explorer, 0);
    }

    @Test
    void ganSlidersChangeTheGeneratedImage() {
        Gen.seed(4);
        Gan gan = Gen.gan().build();
        gan.fit(images.take(512), Fit.steps(10).batchSize(64).quiet());
        LatentExplorer explorer = gan.explore();
        assertEquals(6, explorer.sliders().size());
        double[] one = {1, 0, 0, 0, 0, 0};
        assertEquals(1, distance(explorer.latent(one), explorer.latent(new double[6])), 1e-4, "unit directions");
        assertPictureChanges(explorer, 0);
    }

    @Test
    void interpolationSlidersWalkAlongThePathAndChooseTheRow() {
        Interactive explorer = vae.interpolate(images.take(4), 5).explore();
        assertEquals(2, explorer.sliders().size(), "step and row");
        assertEquals(4, explorer.sliders().get(0).max());
        assertPictureChanges(explorer, 0);
        assertPictureChanges(explorer, 1);
    }

    @Test
    void exploringAPointModelSaysWhatToDoInstead() {
        Vae points = Gen.vae().latent(2).hidden(16).build();
        points.fit(Datasets.moons(200), Fit.steps(3).quiet());
        IllegalStateException e = assertThrows(IllegalStateException.class, points::explore);
        assertTrue(e.getMessage().contains("models points"), e.getMessage());
    }

    /** Moving one slider to its end redraws a different PNG. */
    private static void assertPictureChanges(Interactive explorer, int slider) {
        double[] start = explorer.sliders().stream().mapToDouble(Interactive.Slider::value).toArray();
        double[] moved = start.clone();
        moved[slider] = explorer.sliders().get(slider).max();
        byte[] before = png(explorer.view(start));
        byte[] after = png(explorer.view(moved));
        assertFalse(Arrays.equals(before, after), "slider " + slider + " redraws the picture");
        assertTrue(Arrays.equals(before, png(explorer.render())), "render() is the starting view");
    }

    private static byte[] png(Rendered rendered) {
        return (byte[]) rendered.data().get(Rendered.PNG);
    }

    private static double distance(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }
}
