package dev.jgen.data;

import java.util.Collection;
import java.util.TreeSet;

/**
 * The characters of a text data set as token ids: {@link #END} closes an example, {@link #START} opens one,
 * and every character seen gets an id from 2 on, in code order. A text model predicts ids; this turns them
 * back into text.
 */
public final class Vocabulary {
    public static final int END = 0;
    public static final int START = 1;
    private static final int FIRST_CHARACTER = 2;

    private final String characters;
    /** Id of each char value (0 where it is not in the vocabulary); chars are 16 bits, so a table is cheapest. */
    private final char[] ids = new char[Character.MAX_VALUE + 1];

    private Vocabulary(String characters) {
        this.characters = characters;
        for (int i = 0; i < characters.length(); i++) {
            ids[characters.charAt(i)] = (char) (i + FIRST_CHARACTER);
        }
    }

    /** Every character that occurs in {@code texts}. */
    public static Vocabulary of(Collection<String> texts) {
        TreeSet<Character> seen = new TreeSet<>();
        for (String text : texts) {
            for (int i = 0; i < text.length(); i++) {
                seen.add(text.charAt(i));
            }
        }
        StringBuilder characters = new StringBuilder();
        seen.forEach(characters::append);
        return new Vocabulary(characters.toString());
    }

    /** The vocabulary a checkpoint wrote as {@link #characters()}. */
    public static Vocabulary ofCharacters(String characters) {
        for (int i = 1; i < characters.length(); i++) {
            if (characters.charAt(i) <= characters.charAt(i - 1)) {
                throw new IllegalArgumentException("a vocabulary lists each character once, in code order");
            }
        }
        return new Vocabulary(characters);
    }

    /** The characters in id order (the markers not included). */
    public String characters() {
        return characters;
    }

    /** Ids in all: the two markers and every character. */
    public int size() {
        return characters.length() + FIRST_CHARACTER;
    }

    public boolean contains(char c) {
        return ids[c] != 0;
    }

    /** The ids of {@code text}'s characters; fails naming the first character this vocabulary lacks. */
    public int[] encode(String text) {
        int[] out = new int[text.length()];
        for (int i = 0; i < out.length; i++) {
            char c = text.charAt(i);
            if (ids[c] == 0) {
                throw new DataException(String.format("%s (at position %d of \"%s\") is not among the %d characters this text was "
                        + "learned from: %s", describe(c), i, abbreviated(text), characters.length(), abbreviated(characters)));
            }
            out[i] = ids[c];
        }
        return out;
    }

    /** The character of a character id. */
    public char character(int id) {
        if (id < FIRST_CHARACTER || id >= size()) {
            throw new IllegalArgumentException("id " + id + " is a marker or outside this vocabulary of " + size());
        }
        return characters.charAt(id - FIRST_CHARACTER);
    }

    private static String describe(char c) {
        return Character.isISOControl(c) || Character.isWhitespace(c) ? String.format("The character U+%04X", (int) c)
                : "The character '" + c + "'";
    }

    private static String abbreviated(String text) {
        String shown = text.replace("\n", "\\n");
        return shown.length() <= 80 ? shown : shown.substring(0, 77) + "...";
    }

    @Override
    public String toString() {
        return characters.length() + " characters: " + abbreviated(characters);
    }
}
