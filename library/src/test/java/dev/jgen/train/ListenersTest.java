package dev.jgen.train;

import dev.jgen.Gen;
import dev.jgen.data.Dataset;
import dev.jgen.data.Datasets;
import dev.jgen.model.flow.Flow;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fit.listen: a user's listener gets the dashboard's events and can stop training early. */
class ListenersTest {
    private static final Dataset MOONS = Datasets.moons(512);

    @Test
    void aListenerSeesEveryStepAndEpoch() {
        Gen.seed(3);
        List<Long> steps = new ArrayList<>();
        List<Double> epochLosses = new ArrayList<>();
        Flow flow = Gen.flow().couplings(2).hidden(16).build();
        Fit fit = Fit.epochs(3).batchSize(128).quiet()
                .listen(TrainingListener.eachStep(p -> steps.add(p.step())))
                .listen(TrainingListener.eachEpoch(p -> epochLosses.add(p.metrics().get("loss"))));
        History history = flow.fit(MOONS, fit);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L), steps);
        assertEquals(3, epochLosses.size());
        assertEquals(history.steps(), steps.size());
    }

    @Test
    void stopTrainingEndsTheRunAndKeepsWhatWasDone() {
        Gen.seed(4);
        Flow flow = Gen.flow().couplings(2).hidden(16).build();
        History history = flow.fit(MOONS, Fit.epochs(50).batchSize(128).quiet().listen(TrainingListener.eachStep(p -> {
            if (p.step() == 6) {
                throw new StopTraining("enough");
            }
        })));
        assertEquals(6, history.steps(), "stopped after the step that asked");
        assertEquals(2, history.epochSeconds().length, "the epoch it stopped in counts as the last one");
        assertTrue(flow.sample(5).size() == 5, "the model samples after an early stop");
        assertThrows(IllegalArgumentException.class, () -> Fit.epochs(1).listen(null));
    }
}
