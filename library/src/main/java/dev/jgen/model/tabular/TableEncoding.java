package dev.jgen.model.tabular;

import dev.jgen.data.DataException;
import dev.jgen.data.Tables;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * How a table's rows become the numbers a network learns, and back. A numeric column becomes its value's place
 * within one of the column's modes, in [-1, 1], and which mode, one-hot; a categorical or boolean column its
 * category, one-hot. A column with missing values gets one more slot in its one-hot part, so missingness is
 * learned like a category. Decoding keeps types (whole numbers stay whole), ranges and the seen categories.
 */
public final class TableEncoding implements Serializable {
    private static final long serialVersionUID = 1;

    /** A column's type as jgen models it. */
    public enum Kind { INTEGER, DECIMAL, CATEGORY, BOOLEAN }

    /**
     * One column's code, as a checkpoint keeps it: its categories (categorical and boolean columns, most frequent
     * first), or its modes and range (numeric columns); whether it has a slot for missing values.
     */
    public record ColumnCode(String name, Kind kind, List<String> categories, double[] means, double[] stds, double[] weights,
                             double min, double max, boolean missing) implements Serializable {
        public boolean numeric() {
            return kind == Kind.INTEGER || kind == Kind.DECIMAL;
        }

        /** A numeric column coded by modes and a value within them; the others, whole numbers of few values included, are one-hot. */
        public boolean moded() {
            return numeric() && means != null && means.length > 0;
        }

        /** Slots of the one-hot part: modes or categories, and one for missing values when there were any. */
        public int slots() {
            return (moded() ? means.length : categories.size()) + (missing ? 1 : 0);
        }

        /** Which slot a category takes (null: a missing value), or -1 for one never seen. */
        public int slotOf(String category) {
            if (category == null) {
                return missing ? slots() - 1 : -1;
            }
            return categories.indexOf(category);
        }

        /** The slot of row {@code r} of a one-hot {@code column}. */
        int slotAt(Column<?> column, int r) {
            return slotOf(column.isMissing(r) ? null : categoryAt(column, r));
        }

        /** The slot of row {@code r}, which must hold a category the model saw. */
        int knownSlotAt(Column<?> column, int r) {
            int slot = slotAt(column, r);
            if (slot < 0) {
                throw new IllegalArgumentException("column \"" + name + "\" holds \"" + column.getString(r) + "\" in row " + r
                        + ", a category the model never saw; it knows " + categories + ".");
            }
            return slot;
        }
    }

    /** A run of encoded features: one value in [-1, 1] (tanh), or a one-hot choice (softmax). */
    public record Span(int start, int length, boolean oneHot, int column) implements Serializable {}

    /** A column of whole numbers with at most this many different values is coded like categories. */
    private static final int MOST_WHOLE_CATEGORIES = 20;
    /** Most values a mode mixture is fitted to; a larger column is subsampled. */
    private static final int MIXTURE_SAMPLE = 5000;
    /** How far from its mode's mean a value may be coded, in the mode's standard deviations. */
    private static final double MODE_SCALE = 4;

    private final List<ColumnCode> columns;
    private final List<Span> spans = new ArrayList<>();
    private final int width;
    /** Encoded features that are values (the first ones); the one-hot parts follow. */
    private final int values;

    public TableEncoding(List<ColumnCode> columns) {
        this.columns = List.copyOf(columns);
        // Values first, then every one-hot part: each kind is one slice of an encoded row.
        int offset = 0;
        for (int c = 0; c < columns.size(); c++) {
            if (columns.get(c).moded()) {
                spans.add(new Span(offset++, 1, false, c));
            }
        }
        values = offset;
        for (int c = 0; c < columns.size(); c++) {
            spans.add(new Span(offset, columns.get(c).slots(), true, c));
            offset += columns.get(c).slots();
        }
        this.width = offset;
    }

    /** Learns each column's code from {@code table}. */
    public static TableEncoding learn(Table table, int maxModes, Random random) {
        if (table.rowCount() == 0 || table.columnCount() == 0) {
            throw new DataException("the table " + table.name() + " is empty (" + table.rowCount() + " rows, " + table.columnCount()
                    + " columns): there is nothing to learn.");
        }
        List<ColumnCode> codes = new ArrayList<>();
        for (Column<?> column : table.columns()) {
            codes.add(learn(column, kindOf(column), maxModes, random));
        }
        return new TableEncoding(codes);
    }

    /** How a table model would read {@code column}; a type it cannot learn is an error that says what to do. */
    public static Kind kindOf(Column<?> column) {
        ColumnType type = column.type();
        if (type == ColumnType.INTEGER || type == ColumnType.LONG || type == ColumnType.SHORT) {
            return Kind.INTEGER;
        }
        if (type == ColumnType.DOUBLE || type == ColumnType.FLOAT) {
            return Kind.DECIMAL;
        }
        if (type == ColumnType.STRING || type.name().equals("TEXT")) {
            return Kind.CATEGORY;
        }
        if (type == ColumnType.BOOLEAN) {
            return Kind.BOOLEAN;
        }
        throw new DataException("column \"" + column.name() + "\" holds " + type.name().toLowerCase() + " values; a table model learns numbers, "
                + "text categories and booleans. Convert it first, e.g. a date to its year or day number.");
    }

    private static ColumnCode learn(Column<?> column, Kind kind, int maxModes, Random random) {
        boolean missing = column.countMissing() > 0;
        if (column.countMissing() == column.size()) {
            throw new DataException("column \"" + column.name() + "\" has no values at all; remove it (table.removeColumns(\""
                    + column.name() + "\")) before fitting.");
        }
        boolean fewWholeNumbers = kind == Kind.INTEGER
                && Arrays.stream(present((NumericColumn<?>) column)).distinct().limit(MOST_WHOLE_CATEGORIES + 1).count() <= MOST_WHOLE_CATEGORIES;
        if (kind == Kind.CATEGORY || kind == Kind.BOOLEAN || fewWholeNumbers) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (int r = 0; r < column.size(); r++) {
                if (!column.isMissing(r)) {
                    counts.merge(categoryAt(column, r), 1, Integer::sum);
                }
            }
            List<String> categories = counts.entrySet().stream()
                    .sorted((a, b) -> a.getValue().equals(b.getValue()) ? a.getKey().compareTo(b.getKey()) : b.getValue() - a.getValue())
                    .map(Map.Entry::getKey).toList();
            return new ColumnCode(column.name(), kind, categories, null, null, null, 0, 0, missing);
        }
        double[] values = present((NumericColumn<?>) column);
        double[] fitted = values;
        if (values.length > MIXTURE_SAMPLE) {
            fitted = new double[MIXTURE_SAMPLE];
            for (int i = 0; i < fitted.length; i++) {
                fitted[i] = values[random.nextInt(values.length)];
            }
        }
        ModeMixture modes = ModeMixture.fit(fitted, maxModes);
        double min = Arrays.stream(values).min().orElseThrow();
        double max = Arrays.stream(values).max().orElseThrow();
        return new ColumnCode(column.name(), kind, List.of(), modes.means(), modes.stds(), modes.weights(), min, max, missing);
    }

    /** Row {@code r} as a category: whole numbers as plain digits (Tablesaw's own text may group thousands). */
    static String categoryAt(Column<?> column, int r) {
        return column instanceof NumericColumn<?> numeric ? String.valueOf((long) numeric.getDouble(r)) : column.getString(r);
    }

    /** A numeric column's values that are not missing. */
    static double[] present(NumericColumn<?> column) {
        double[] values = new double[column.size() - column.countMissing()];
        for (int r = 0, i = 0; r < column.size(); r++) {
            if (!column.isMissing(r)) {
                values[i++] = column.getDouble(r);
            }
        }
        return values;
    }

    public List<ColumnCode> columns() {
        return columns;
    }

    public List<Span> spans() {
        return spans;
    }

    /** Encoded features per row. */
    public int width() {
        return width;
    }

    /** How many of a row's first features are values in [-1, 1]; one-hot parts fill the rest. */
    public int values() {
        return values;
    }

    /** The one-hot spans, in order. */
    List<Span> oneHotSpans() {
        return spans.stream().filter(Span::oneHot).toList();
    }

    /** Where column {@code c}'s value sits in an encoded row (numeric columns only). */
    private int valuePosition(int c) {
        return spans.stream().filter(s -> !s.oneHot() && s.column() == c).findFirst().orElseThrow().start();
    }

    public ColumnCode column(String name) {
        for (ColumnCode code : columns) {
            if (code.name().equals(name)) {
                return code;
            }
        }
        throw new IllegalArgumentException("there is no column \"" + name + "\"; the columns are " + names());
    }

    /** Where the one-hot part of column {@code name} starts in an encoded row. */
    public int oneHotStart(String name) {
        ColumnCode code = column(name);
        return spans.stream().filter(s -> s.oneHot() && columns.get(s.column()) == code).findFirst().orElseThrow().start();
    }

    public List<String> names() {
        return columns.stream().map(ColumnCode::name).toList();
    }

    /** Fails with one sentence unless {@code table} has the columns, and types, this encoding was learned from. */
    public void requireSameColumns(Table table, String what) {
        List<String> theirs = table.columnNames();
        if (!theirs.equals(names())) {
            throw new IllegalArgumentException(what + ": the table " + table.name() + " has the columns " + theirs + ", and this model learned "
                    + names() + ". Use a table with the same columns, in the same order (table.selectColumns(...)).");
        }
        for (ColumnCode code : columns) {
            Kind kind = kindOf(table.column(code.name()));
            boolean compatible = kind == code.kind() || code.numeric() && (kind == Kind.INTEGER || kind == Kind.DECIMAL);
            if (!compatible) {
                throw new IllegalArgumentException(what + ": column \"" + code.name() + "\" holds " + kind.name().toLowerCase()
                        + " values here, and the model learned it as " + code.kind().name().toLowerCase() + ".");
            }
        }
    }

    /**
     * Rows × {@link #width} features. A numeric value is coded in a mode drawn from how likely each mode made it, as
     * the paper does; a category never seen is an error.
     */
    public float[] encode(Table table, Random random) {
        requireSameColumns(table, "encode");
        int rows = table.rowCount();
        float[] out = new float[rows * width];
        for (Span span : oneHotSpans()) {
            ColumnCode code = columns.get(span.column());
            Column<?> column = table.column(span.column());
            ModeMixture modes = code.moded() ? new ModeMixture(code.means(), code.stds(), code.weights()) : null;
            int valueAt = code.moded() ? valuePosition(span.column()) : -1;
            for (int r = 0; r < rows; r++) {
                int base = r * width;
                if (column.isMissing(r)) {
                    if (!code.missing()) {
                        throw new IllegalArgumentException("column \"" + code.name() + "\" misses a value in row " + r
                                + ", and the model learned it without missing values.");
                    }
                    out[base + span.start() + code.slots() - 1] = 1;
                } else if (code.moded()) {
                    double x = ((NumericColumn<?>) column).getDouble(r);
                    int mode = draw(modes.posterior(x), random);
                    double alpha = (x - code.means()[mode]) / (MODE_SCALE * code.stds()[mode]);
                    out[base + valueAt] = (float) Math.max(-1, Math.min(1, alpha));
                    out[base + span.start() + mode] = 1;
                } else {
                    out[base + span.start() + code.knownSlotAt(column, r)] = 1;
                }
            }
        }
        return out;
    }

    /**
     * Rows × {@link #featureWidth} features to compare tables in (FCD, KID, MMD), the same for a row wherever it is
     * computed: a number standardised by its column's mixture (and a flag when it may be missing), a category or
     * a whole number of few values one-hot. Unlike {@link #encode} nothing is drawn at random.
     */
    public float[] features(Table table) {
        requireSameColumns(table, "features");
        int rows = table.rowCount();
        int featureWidth = featureWidth();
        float[] out = new float[rows * featureWidth];
        int offset = 0;
        for (int c = 0; c < columns.size(); c++) {
            ColumnCode code = columns.get(c);
            Column<?> column = table.column(c);
            if (code.moded()) {
                double mean = 0;
                double square = 0;
                for (int m = 0; m < code.means().length; m++) {
                    mean += code.weights()[m] * code.means()[m];
                    square += code.weights()[m] * (code.stds()[m] * code.stds()[m] + code.means()[m] * code.means()[m]);
                }
                double std = Math.sqrt(Math.max(square - mean * mean, 1e-12));
                for (int r = 0; r < rows; r++) {
                    if (column.isMissing(r)) {
                        out[r * featureWidth + offset + 1] = 1;
                    } else {
                        out[r * featureWidth + offset] = (float) ((((NumericColumn<?>) column).getDouble(r) - mean) / std);
                    }
                }
            } else {
                for (int r = 0; r < rows; r++) {
                    out[r * featureWidth + offset + code.knownSlotAt(column, r)] = 1;
                }
            }
            offset += featureSlots(code);
        }
        return out;
    }

    /** Features per row of {@link #features}. */
    public int featureWidth() {
        return columns.stream().mapToInt(TableEncoding::featureSlots).sum();
    }

    private static int featureSlots(ColumnCode code) {
        return code.moded() ? 1 + (code.missing() ? 1 : 0) : code.slots();
    }

    /**
     * A table of {@code rows} rows from decoded features: values in [-1, 1] where a row's value goes, and
     * non-negative weights where it chooses (a slot is drawn in proportion to them).
     */
    public Table decode(String name, float[] features, int rows, Random random) {
        Table table = Table.create(name);
        for (Span span : spans) {
            if (!span.oneHot()) {
                continue;
            }
            ColumnCode code = columns.get(span.column());
            int[] slots = new int[rows];
            double[] weights = new double[span.length()];
            for (int r = 0; r < rows; r++) {
                for (int s = 0; s < weights.length; s++) {
                    weights[s] = Math.max(0, features[r * width + span.start() + s]);
                }
                slots[r] = draw(weights, random);
            }
            table.addColumns(column(code, slots, features, rows, code.moded() ? valuePosition(span.column()) : -1));
        }
        return table;
    }

    private Column<?> column(ColumnCode code, int[] slots, float[] features, int rows, int valueAt) {
        boolean[] missing = new boolean[rows];
        for (int r = 0; r < rows; r++) {
            missing[r] = code.missing() && slots[r] == code.slots() - 1;
        }
        switch (code.kind()) {
            case CATEGORY -> {
                StringColumn column = StringColumn.create(code.name());
                for (int r = 0; r < rows; r++) {
                    if (missing[r]) {
                        column.appendMissing();
                    } else {
                        column.append(code.categories().get(slots[r]));
                    }
                }
                return column;
            }
            case BOOLEAN -> {
                BooleanColumn column = BooleanColumn.create(code.name());
                for (int r = 0; r < rows; r++) {
                    if (missing[r]) {
                        column.appendMissing();
                    } else {
                        column.append(Boolean.parseBoolean(code.categories().get(slots[r])));
                    }
                }
                return column;
            }
            default -> {
                double[] values = new double[rows];
                for (int r = 0; r < rows; r++) {
                    if (missing[r]) {
                        values[r] = Double.NaN;
                        continue;
                    }
                    if (!code.moded()) {
                        values[r] = Double.parseDouble(code.categories().get(slots[r]));
                        continue;
                    }
                    int mode = slots[r];
                    double x = features[r * width + valueAt] * MODE_SCALE * code.stds()[mode] + code.means()[mode];
                    x = Math.max(code.min(), Math.min(code.max(), x));
                    values[r] = code.kind() == Kind.INTEGER ? Math.rint(x) : x;
                }
                return numericColumn(code, values);
            }
        }
    }

    /** An integer or double column of {@code values}, NaN missing. */
    static Column<?> numericColumn(ColumnCode code, double[] values) {
        return Tables.numbers(code.name(), values, code.kind() == Kind.INTEGER);
    }

    /** An index drawn in proportion to {@code weights} (the largest when they are all zero). */
    static int draw(double[] weights, Random random) {
        double total = 0;
        int best = 0;
        for (int i = 0; i < weights.length; i++) {
            total += weights[i];
            if (weights[i] > weights[best]) {
                best = i;
            }
        }
        if (!(total > 0)) {
            return best;
        }
        double u = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            u -= weights[i];
            if (u < 0) {
                return i;
            }
        }
        return best;
    }
}
