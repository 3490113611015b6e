package dev.jgen.data;

import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Weka's ARFF tables (dense rows): nominal and string attributes become string columns, numeric ones integer
 * columns when every value is whole and double columns otherwise; {@code ?} is a missing value.
 */
final class Arff {
    private Arff() {}

    private record Attribute(String name, boolean numeric) {}

    static Table read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DataException("Could not read the ARFF file " + file + ": " + e.getMessage());
        }
        String relation = file.getFileName().toString().replaceFirst("\\.arff$", "");
        List<Attribute> attributes = new ArrayList<>();
        List<List<String>> columns = new ArrayList<>();
        boolean data = false;
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("%")) {
                continue;
            }
            if (!data) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("@relation")) {
                    relation = unquote(line.substring("@relation".length()).strip());
                } else if (lower.startsWith("@attribute")) {
                    attributes.add(attribute(line.substring("@attribute".length()).strip(), file, n + 1));
                    columns.add(new ArrayList<>());
                } else if (lower.startsWith("@data")) {
                    data = true;
                }
                continue;
            }
            if (line.startsWith("{")) {
                throw new DataException(file + " line " + (n + 1) + " is a sparse ARFF row; jgen reads dense rows only.");
            }
            List<String> values = split(line);
            if (values.size() != attributes.size()) {
                throw new DataException(String.format("%s line %d has %d values, and the header declares %d attributes.",
                        file, n + 1, values.size(), attributes.size()));
            }
            for (int c = 0; c < values.size(); c++) {
                columns.get(c).add(values.get(c));
            }
        }
        if (attributes.isEmpty()) {
            throw new DataException(file + " declares no @attribute lines: it is not an ARFF file.");
        }
        Table table = Table.create(relation);
        for (int c = 0; c < attributes.size(); c++) {
            table.addColumns(column(attributes.get(c), columns.get(c), file));
        }
        return table;
    }

    /** {@code name type}, the name perhaps quoted. */
    private static Attribute attribute(String declaration, Path file, int line) {
        String name;
        String type;
        char first = declaration.isEmpty() ? ' ' : declaration.charAt(0);
        if (first == '\'' || first == '"') {
            int close = declaration.indexOf(first, 1);
            if (close < 0) {
                throw new DataException(file + " line " + line + " opens a quote it does not close: " + declaration);
            }
            name = declaration.substring(1, close);
            type = declaration.substring(close + 1).strip();
        } else {
            String[] parts = declaration.split("\\s+", 2);
            name = parts[0];
            type = parts.length > 1 ? parts[1] : "";
        }
        if (type.isEmpty()) {
            throw new DataException(file + " line " + line + " declares the attribute " + name + " without a type.");
        }
        String kind = type.toLowerCase(Locale.ROOT);
        return new Attribute(name, kind.startsWith("numeric") || kind.startsWith("real") || kind.startsWith("integer"));
    }

    private static Column<?> column(Attribute attribute, List<String> values, Path file) {
        if (!attribute.numeric()) {
            StringColumn column = StringColumn.create(attribute.name());
            for (String v : values) {
                if (v.equals("?")) {
                    column.appendMissing();
                } else {
                    column.append(v);
                }
            }
            return column;
        }
        double[] numbers = new double[values.size()];
        boolean whole = true;
        for (int r = 0; r < numbers.length; r++) {
            String v = values.get(r);
            try {
                numbers[r] = v.equals("?") ? Double.NaN : Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new DataException(String.format("%s: attribute %s is numeric, and row %d holds \"%s\".", file, attribute.name(), r + 1, v));
            }
            whole &= Double.isNaN(numbers[r]) || numbers[r] == Math.rint(numbers[r]);
        }
        return Tables.numbers(attribute.name(), numbers, whole);
    }

    /** Comma-separated values, each possibly in single or double quotes (with backslash escapes). */
    static List<String> split(String line) {
        List<String> values = new ArrayList<>();
        StringBuilder value = new StringBuilder();
        char quote = 0;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quote != 0) {
                if (ch == '\\' && i + 1 < line.length()) {
                    value.append(line.charAt(++i));
                } else if (ch == quote) {
                    quote = 0;
                } else {
                    value.append(ch);
                }
            } else if (ch == '\'' || ch == '"') {
                quote = ch;
                quoted = true;
                // Spaces between the comma and the quote are not part of the value.
                value.setLength(value.toString().strip().length());
            } else if (ch == ',') {
                values.add(quoted ? value.toString() : value.toString().strip());
                value.setLength(0);
                quoted = false;
            } else {
                value.append(ch);
            }
        }
        values.add(quoted ? value.toString() : value.toString().strip());
        return values;
    }

    private static String unquote(String s) {
        List<String> parts = split(s);
        return parts.isEmpty() ? s : parts.get(0);
    }
}
