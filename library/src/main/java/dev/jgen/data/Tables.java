package dev.jgen.data;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.io.csv.CsvReadOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Real tables to learn from and compare with: German credit customers and Palmer penguins from Debian
 * packages, and any ARFF or CSV file of your own. A table read any other way with Tablesaw works the same.
 */
public final class Tables {
    /** Where jgen's install scripts put the tables they take out of Debian packages; {@code JGEN_TABLES} points elsewhere. */
    public static final Path DEFAULT_FOLDER = Path.of("/usr/local/share/jgen/tables");
    /** A table file from a Debian package: its name, where the package puts it, and the package. */
    record Packaged(String file, Path installedBy, String debianPackage) {}

    static final Packaged CREDIT_G = new Packaged("credit-g.arff", Path.of("/usr/share/doc/weka/examples/credit-g.arff"), "weka");
    static final Packaged PENGUINS = new Packaged("penguins.csv",
            Path.of("/usr/lib/R/site-library/palmerpenguins/extdata/penguins.csv"), "r-cran-palmerpenguins");
    /** What R and the penguins CSV write for a missing value. */
    private static final String[] MISSING = {"NA", ""};

    private Tables() {}

    /**
     * The German credit data (Hofmann, UCI; as shipped in Debian's {@code weka}): 1,000 customers, 7 integer
     * columns (duration, credit_amount, age, ...) and 14 categorical ones, the last, {@code class}, good or bad credit.
     */
    public static Table creditG() {
        return arff(find(CREDIT_G));
    }

    /**
     * The Palmer penguins (Horst, Hill and Gorman, CC0; Debian's {@code r-cran-palmerpenguins}): 344 penguins of
     * three species on three islands, bill and flipper sizes, body mass, sex and year, with missing values.
     */
    public static Table penguins() {
        return csv(find(PENGUINS)).setName("penguins");
    }

    /** A Weka ARFF file as a table (nominal attributes as text, whole numbers as integers, {@code ?} missing). */
    public static Table arff(Path file) {
        requireFile(file);
        return Arff.read(file);
    }

    /** A CSV file with a header row as a table, types guessed from the values; {@code NA} and empty cells are missing. */
    public static Table csv(Path file) {
        requireFile(file);
        try {
            return Table.read().csv(CsvReadOptions.builder(file.toFile()).missingValueIndicator(MISSING).build())
                    .setName(file.getFileName().toString().replaceFirst("\\.csv$", ""));
        } catch (RuntimeException e) {
            throw new DataException("Could not read " + file + " as CSV with a header row: " + e.getMessage());
        }
    }

    /**
     * The rows shuffled with {@code seed} and cut in two: the first {@code fraction} of them (to train on) and the
     * rest (held out, to measure privacy and efficacy with).
     */
    public static Table[] split(Table table, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("split: fraction is the share of rows in the first part, between 0 and 1, got " + fraction);
        }
        int[] order = Dataset.permutation(table.rowCount(), new Random(seed));
        int cut = (int) Math.round(fraction * order.length);
        return new Table[] {table.rows(Arrays.copyOfRange(order, 0, cut)).setName(table.name()),
                table.rows(Arrays.copyOfRange(order, cut, order.length)).setName(table.name() + " held out")};
    }

    /**
     * A column of {@code values} (NaN: missing): integers when {@code whole} (longs past the int range), doubles
     * otherwise.
     */
    public static Column<?> numbers(String name, double[] values, boolean whole) {
        DoubleColumn column = DoubleColumn.create(name, values);
        if (!whole) {
            return column;
        }
        boolean wide = Arrays.stream(values).anyMatch(v -> Math.abs(v) > Integer.MAX_VALUE);
        return wide ? column.asLongColumn() : column.asIntColumn();
    }

    /** The file in {@code JGEN_TABLES}, jgen's folder, or where the Debian package puts it. */
    private static Path find(Packaged table) {
        return find(table, System.getenv("JGEN_TABLES"));
    }

    static Path find(Packaged table, String override) {
        return locate(table, override).orElseThrow(() -> new DataException(table.file() + " is not installed (looked for "
                + String.join(" and ", places(table, override).stream().map(Path::toString).toList())
                + "). Install it with `sudo apt-get install " + table.debianPackage() + "`, or run install/jgen-notebook, which takes the "
                + "file out of that package without its dependencies; JGEN_TABLES may name a folder that holds it."));
    }

    static Optional<Path> locate(Packaged table) {
        return locate(table, System.getenv("JGEN_TABLES"));
    }

    private static Optional<Path> locate(Packaged table, String override) {
        return places(table, override).stream().filter(Files::isRegularFile).findFirst();
    }

    private static List<Path> places(Packaged table, String override) {
        return override == null || override.isBlank() ? List.of(DEFAULT_FOLDER.resolve(table.file()), table.installedBy())
                : List.of(Path.of(override).resolve(table.file()));
    }

    private static void requireFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DataException(file.toAbsolutePath() + " was not found.");
        }
    }
}
