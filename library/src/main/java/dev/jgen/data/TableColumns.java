package dev.jgen.data;

import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Numeric columns of a Tablesaw table as points, one example per row, optionally with a categorical
 * column as labels. Rows missing a value in any chosen column are dropped, and the count is reported.
 */
final class TableColumns {
    private TableColumns() {}

    /** {@code features} (every numeric column when empty) as points; {@code labelColumn} may be null. */
    static Dataset read(Table table, List<String> features, String labelColumn) {
        return read(table, features, labelColumn, 0);
    }

    /** As above; {@code reportedDrops} rows were already reported dropped, so only a different count is news. */
    private static Dataset read(Table table, List<String> features, String labelColumn, int reportedDrops) {
        List<String> chosen = features.isEmpty()
                ? numericColumns(table).stream().filter(c -> !c.equals(labelColumn)).toList() : features;
        if (chosen.isEmpty()) {
            throw new DataException(name(table) + " has no numeric columns; its columns are " + describe(table, table.columnNames()) + ".");
        }
        List<NumericColumn<?>> columns = new ArrayList<>();
        for (String c : chosen) {
            Column<?> column = column(table, c);
            if (!(column instanceof NumericColumn<?> numeric)) {
                throw new DataException(String.format("Column \"%s\" of %s holds %s values, and features must be numbers. Its numeric "
                                + "columns are %s; to use \"%s\" as classes, add .labels(\"%s\").", c, name(table),
                        column.type().name().toLowerCase(), describe(table, numericColumns(table)), c, c));
            }
            columns.add(numeric);
        }
        Column<?> labels = labelColumn == null ? null : column(table, labelColumn);
        int rows = table.rowCount();
        List<Integer> complete = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            if (!missingAt(columns, labels, r)) {
                complete.add(r);
            }
        }
        if (complete.isEmpty()) {
            throw new DataException("Every one of the " + rows + " rows of " + name(table) + " misses a value in " + String.join(", ", chosen)
                    + (labelColumn == null ? "" : " or " + labelColumn) + ", so no rows are left to train on.");
        }
        int dropped = rows - complete.size();
        if (dropped > 0 && dropped != reportedDrops) {
            System.err.println("warning: dropped " + dropped + " of " + rows + " rows of " + name(table)
                    + " that miss a value in " + String.join(", ", chosen) + (labelColumn == null ? "" : " or " + labelColumn));
        }
        int d = columns.size();
        float[] values = new float[complete.size() * d];
        for (int i = 0; i < complete.size(); i++) {
            for (int f = 0; f < d; f++) {
                values[i * d + f] = (float) columns.get(f).getDouble(complete.get(i));
            }
        }
        int[] codes = null;
        List<String> classNames = null;
        if (labels != null) {
            Map<String, Double> order = new TreeMap<>();
            for (int r : complete) {
                order.put(labels.getString(r), labels instanceof NumericColumn<?> n ? n.getDouble(r) : 0.0);
            }
            // Numeric labels (0, 1, 2, ... 10) sort by value, names alphabetically.
            classNames = order.keySet().stream().sorted(Comparator.comparing((String name) -> order.get(name)).thenComparing(Comparator.naturalOrder()))
                    .collect(Collectors.toUnmodifiableList());
            codes = new int[complete.size()];
            for (int i = 0; i < codes.length; i++) {
                codes[i] = classNames.indexOf(labels.getString(complete.get(i)));
            }
        }
        Dataset data = new Dataset(name(table), values, codes, new long[] {d}, classNames);
        return labelColumn == null ? data.labelledBy(column -> read(table, features, column, dropped)) : data;
    }

    private static boolean missingAt(List<NumericColumn<?>> columns, Column<?> labels, int row) {
        for (NumericColumn<?> c : columns) {
            if (c.isMissing(row) || !Double.isFinite(c.getDouble(row))) {
                return true;
            }
        }
        return labels != null && (labels.isMissing(row) || labels.getString(row).isBlank());
    }

    private static Column<?> column(Table table, String name) {
        if (!table.containsColumn(name)) {
            throw new DataException(name(table) + " has no column \"" + name + "\"; its columns are " + describe(table, table.columnNames()) + ".");
        }
        return table.column(name);
    }

    private static List<String> numericColumns(Table table) {
        return table.columns().stream().filter(c -> c instanceof NumericColumn<?>).map(Column::name).toList();
    }

    private static String describe(Table table, List<String> names) {
        return names.stream().map(n -> "\"" + n + "\" (" + table.column(n).type().name().toLowerCase() + ")").collect(Collectors.joining(", "));
    }

    private static String name(Table table) {
        return table.name() == null || table.name().isBlank() ? "the table" : table.name();
    }
}
