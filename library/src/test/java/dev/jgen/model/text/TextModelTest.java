package dev.jgen.model.text;

import dev.jgen.Gen;
import dev.jgen.data.DataException;
import dev.jgen.data.Dataset;
import dev.jgen.data.Datasets;
import dev.jgen.display.Rendered;
import dev.jgen.model.CheckpointException;
import dev.jgen.model.GenerativeModel;
import dev.jgen.model.vae.Vae;
import dev.jgen.train.Fit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The text family on the names (90 % to train, 10 % held out): a small Transformer trained for a few CPU minutes
 * against the bigram baseline, then its samples, prompts, temperature, determinism and checkpoints.
 */
class TextModelTest {
    private static Dataset train;
    private static Dataset heldOut;
    private static TextModel bigram;
    private static TextModel transformer;

    @BeforeAll
    static void trainBoth() {
        Gen.seed(7);
        Dataset[] parts = Datasets.names().split(0.9);
        train = parts[0];
        heldOut = parts[1];
        bigram = Gen.text().bigram().build();
        bigram.fit(train, Fit.epochs(1).quiet());
        transformer = Gen.text().context(16).layers(TestBudget.LAYERS).heads(4).width(TestBudget.WIDTH).build();
        transformer.fit(train, Fit.epochs(TestBudget.EPOCHS).batchSize(64).quiet());
    }

    /** What a few CPU minutes buy on two cores. */
    private static final class TestBudget {
        static final int LAYERS = 3;
        static final int WIDTH = 128;
        static final int EPOCHS = 20;
    }

    @Test
    void theTransformerBeatsTheBigramByFifteenPercentOnHeldOutNames() {
        double bigramBits = bigram.bitsPerChar(heldOut);
        double transformerBits = transformer.bitsPerChar(heldOut);
        System.out.printf("held-out bits/char: Transformer %.3f, bigram %.3f%n", transformerBits, bigramBits);
        assertTrue(bigramBits > 2.5 && bigramBits < 4.5, "a bigram of names needs about 3.4 bits per character: " + bigramBits);
        assertTrue(transformerBits <= 0.85 * bigramBits,
                String.format("held out: Transformer %.3f bits/char, bigram %.3f (ratio %.3f)", transformerBits, bigramBits, transformerBits / bigramBits));
        double trainingLoss = transformer.history().lastEpoch("loss");
        assertTrue(trainingLoss < bigramBits, "the history's loss is in bits per character too: " + trainingLoss);
    }

    @Test
    void sampledNamesAreMostlyNewAndMadeOfLetters() {
        Gen.seed(11);
        List<String> names = transformer.sample(200).list();
        assertEquals(200, names.size());
        Set<String> seen = new HashSet<>(train.texts());
        long novel = names.stream().filter(n -> !seen.contains(n)).count();
        long letters = names.stream().filter(n -> !n.isEmpty() && n.chars().allMatch(Character::isLetter)).count();
        assertTrue(novel >= 120, novel + " of 200 samples are not training names: " + names.subList(0, 20));
        assertTrue(letters >= 190, letters + " of 200 samples are letters only: " + names.subList(0, 20));
    }

    @Test
    void aPromptIsContinuedNotReplaced() {
        List<String> continued = transformer.sample(30, "Ma").list();
        assertTrue(continued.stream().allMatch(n -> n.startsWith("Ma")), continued.toString());
        assertTrue(continued.stream().filter(n -> n.length() > 2).count() >= 25, "most prompts grow: " + continued);
        assertTrue(new HashSet<>(continued).size() > 10, "and differently: " + continued);
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> transformer.sample(3, "Zoë"));
        assertTrue(unknown.getMessage().contains("'ë'"), unknown.getMessage());
    }

    @Test
    void temperatureAndTopKShapeTheDraws() {
        List<String> greedy = transformer.sample(5, Sampling.temperature(0)).list();
        assertEquals(1, new HashSet<>(greedy).size(), "temperature 0 always takes the likeliest character: " + greedy);
        assertEquals(greedy, transformer.sample(5, Sampling.defaults().topK(1)).list(), "top-1 is greedy too");
        Gen.seed(2);
        int cold = new HashSet<>(transformer.sample(100, Sampling.temperature(0.3)).list()).size();
        Gen.seed(2);
        int hot = new HashSet<>(transformer.sample(100, Sampling.temperature(1.5)).list()).size();
        assertTrue(cold < hot, "a low temperature repeats itself more: " + cold + " distinct names against " + hot);
        assertTrue(transformer.sample(10, Sampling.temperature(1).maxChars(3)).list().stream().allMatch(n -> n.length() <= 3));
        assertThrows(IllegalArgumentException.class, () -> Sampling.temperature(-1));
    }

    @Test
    void samplesRepeatUnderTheSameSeedAndSurviveSaveAndLoad(@TempDir Path dir) {
        Gen.seed(5);
        List<String> first = transformer.sample(20).list();
        Gen.seed(5);
        assertEquals(first, transformer.sample(20).list(), "deterministic under Gen.seed");
        assertNotEquals(first, transformer.sample(20).list());

        transformer.save(dir.resolve("names"));
        TextModel back = Gen.load(dir.resolve("names"), TextModel.class);
        Gen.seed(5);
        assertEquals(first, back.sample(20).list(), "a loaded model samples exactly as the saved one");
        assertEquals(transformer.bitsPerChar(heldOut), back.bitsPerChar(heldOut), 1e-9);
        assertEquals(transformer.history().steps(), back.history().steps());
        GenerativeModel any = Gen.load(dir.resolve("names"));
        assertTrue(any instanceof TextModel, any.toString());
        CheckpointException wrongFamily = assertThrows(CheckpointException.class, () -> Gen.load(dir.resolve("names"), Vae.class));
        assertTrue(wrongFamily.getMessage().contains("TextModel"), wrongFamily.getMessage());
    }

    @Test
    void samplesAndTheModelRenderAsText() {
        TextSamples samples = transformer.sample(4, "Jo");
        String html = (String) samples.render().data().get(Rendered.HTML);
        assertTrue(html.contains("<li") && html.contains(samples.get(0)), html);
        assertTrue(samples.toString().contains(samples.get(3)));
        assertTrue(transformer.toString().contains("3 layers") && transformer.toString().contains("53 characters"), transformer.toString());
    }

    @Test
    void textAndNumbersGoToTheirOwnFamilies() {
        IllegalArgumentException numbers = assertThrows(IllegalArgumentException.class,
                () -> Gen.text().build().fit(Datasets.moons(100), Fit.epochs(1).quiet()));
        assertTrue(numbers.getMessage().contains("learns from text"), numbers.getMessage());
        IllegalArgumentException text = assertThrows(IllegalArgumentException.class,
                () -> Gen.vae().build().fit(train.take(10), Fit.epochs(1).quiet()));
        assertTrue(text.getMessage().contains("Gen.text()"), text.getMessage());
        IllegalStateException untrained = assertThrows(IllegalStateException.class, () -> Gen.text().build().sample(3));
        assertTrue(untrained.getMessage().contains("fit"), untrained.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Gen.text().width(100).heads(3).build());
        DataException foreign = assertThrows(DataException.class, () -> transformer.bitsPerChar(Datasets.text(List.of("Ωmega"))));
        assertTrue(foreign.getMessage().contains("'Ω'"), foreign.getMessage());
    }

    @Test
    void aCorpusModelContinuesRunningText(@TempDir Path dir) throws IOException {
        Path play = Files.writeString(dir.resolve("play.txt"), "to be or not to be, that is the question. ".repeat(40));
        TextModel small = Gen.text().context(32).layers(1).heads(2).width(64).build();
        small.fit(Datasets.corpus(play, 64), Fit.epochs(100).batchSize(16).quiet());
        String continued = small.sample(1, "to be or", Sampling.temperature(0).maxChars(20)).get(0);
        assertTrue(continued.startsWith("to be or not to be"), continued);
        assertEquals(28, continued.length(), "a piece of running text has no end: it runs to maxChars: " + continued);
    }
}
