package dev.jgen.spark;

import dev.jgen.data.Tables;
import dev.jgen.model.tabular.TableEncoding;
import dev.jgen.model.tabular.TableEncoding.ColumnCode;
import dev.jgen.model.tabular.TableEncoding.Kind;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Tablesaw tables and Spark rows, one into the other, with the column types jgen's table models know. */
final class TableRows {
    private TableRows() {}

    static DataType sparkType(Kind kind) {
        return switch (kind) {
            case INTEGER -> DataTypes.LongType;
            case DECIMAL -> DataTypes.DoubleType;
            case CATEGORY -> DataTypes.StringType;
            case BOOLEAN -> DataTypes.BooleanType;
        };
    }

    static StructType schema(Table table) {
        List<StructField> fields = new ArrayList<>();
        for (Column<?> column : table.columns()) {
            fields.add(DataTypes.createStructField(column.name(), sparkType(TableEncoding.kindOf(column)), true));
        }
        return DataTypes.createStructType(fields);
    }

    static List<Row> toRows(Table table) {
        Kind[] kinds = table.columns().stream().map(TableEncoding::kindOf).toArray(Kind[]::new);
        List<Row> rows = new ArrayList<>(table.rowCount());
        for (int r = 0; r < table.rowCount(); r++) {
            rows.add(RowFactory.create(values(table, kinds, r, 0)));
        }
        return rows;
    }

    /** Row {@code r}'s values as Spark holds them (null where missing), after {@code lead} empty places for keys. */
    static Object[] values(Table table, Kind[] kinds, int r, int lead) {
        Object[] values = new Object[lead + kinds.length];
        for (int c = 0; c < kinds.length; c++) {
            Column<?> column = table.column(c);
            if (column.isMissing(r)) {
                continue;
            }
            values[lead + c] = switch (kinds[c]) {
                case INTEGER -> (long) ((NumericColumn<?>) column).getDouble(r);
                case DECIMAL -> ((NumericColumn<?>) column).getDouble(r);
                case CATEGORY -> column.getString(r);
                case BOOLEAN -> ((BooleanColumn) column).get(r);
            };
        }
        return values;
    }

    /** Rows of {@code schema} as a table of the same columns; a type with no Tablesaw column is an error that names it. */
    static Table toTable(StructType schema, List<Row> rows) {
        Table table = Table.create("rows");
        StructField[] fields = schema.fields();
        for (int c = 0; c < fields.length; c++) {
            table.addColumns(column(fields[c].name(), kindOf(fields[c]), rows, c));
        }
        return table;
    }

    private static Kind kindOf(StructField field) {
        DataType type = field.dataType();
        if (type.equals(DataTypes.StringType)) {
            return Kind.CATEGORY;
        }
        if (type.equals(DataTypes.BooleanType)) {
            return Kind.BOOLEAN;
        }
        if (type.equals(DataTypes.LongType) || type.equals(DataTypes.IntegerType) || type.equals(DataTypes.ShortType)) {
            return Kind.INTEGER;
        }
        if (type instanceof NumericType) {
            return Kind.DECIMAL;
        }
        throw new IllegalArgumentException("column \"" + field.name() + "\" holds " + type.simpleString() + ", which a table here cannot hold; "
                + "drop it or select the columns of numbers, text and booleans first: rows.drop(\"" + field.name() + "\")");
    }

    /**
     * Rows holding a table model's columns (at {@code positions} in each row) as a Tablesaw table of the types the
     * model learned, so its encoding reads them as it reads its own samples.
     */
    static Table toTable(TableEncoding encoding, List<Row> rows, int[] positions) {
        Table table = Table.create("rows");
        List<ColumnCode> codes = encoding.columns();
        for (int c = 0; c < codes.size(); c++) {
            table.addColumns(column(codes.get(c).name(), codes.get(c).kind(), rows, positions[c]));
        }
        return table;
    }

    /** The values at position {@code at} of every row as a column of {@code kind} (nulls missing). */
    private static Column<?> column(String name, Kind kind, List<Row> rows, int at) {
        switch (kind) {
            case CATEGORY -> {
                StringColumn column = StringColumn.create(name);
                rows.forEach(row -> column.append(row.isNullAt(at) ? null : row.get(at).toString()));
                return column;
            }
            case BOOLEAN -> {
                BooleanColumn column = BooleanColumn.create(name);
                rows.forEach(row -> {
                    if (row.isNullAt(at)) {
                        column.appendMissing();
                    } else {
                        column.append(row.getBoolean(at));
                    }
                });
                return column;
            }
            default -> {
                double[] values = new double[rows.size()];
                Arrays.setAll(values, i -> rows.get(i).isNullAt(at) ? Double.NaN : ((Number) rows.get(i).get(at)).doubleValue());
                return Tables.numbers(name, values, kind == Kind.INTEGER);
            }
        }
    }
}
