package dev.jgen.spark;

import dev.jgen.model.tabular.TableEncoding;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;
import java.util.List;

/** A table model's features ({@link TableEncoding#features}) of rows that hold its columns, wherever they sit in the row. */
final class TableFeatures extends RowFeatures {
    private static final long serialVersionUID = 1;
    private final TableEncoding encoding;
    private final int[] positions;

    TableFeatures(TableEncoding encoding, StructType schema) {
        this.encoding = encoding;
        List<String> names = Arrays.asList(schema.fieldNames());
        this.positions = encoding.names().stream().mapToInt(name -> {
            int at = names.indexOf(name);
            if (at < 0) {
                throw new IllegalArgumentException("score: the rows have no column \"" + name + "\", which the model learned; they have "
                        + names + ". Score rows with the model's columns " + encoding.names());
            }
            return at;
        }).toArray();
    }

    @Override
    float[] features(List<Row> rows) {
        return encoding.features(TableRows.toTable(encoding, rows, positions));
    }
}
