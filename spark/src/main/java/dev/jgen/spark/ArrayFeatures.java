package dev.jgen.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;
import java.util.List;

/** Features the rows carry themselves: an array of floats or doubles in one column, of one length in every row. */
final class ArrayFeatures extends RowFeatures {
    private static final long serialVersionUID = 1;
    private final int position;
    private final String column;
    private final int dim;

    ArrayFeatures(StructType schema, String column, int dim) {
        this.position = positionOf(schema, column);
        this.column = column;
        this.dim = dim;
    }

    /** The features' length, from the first row. */
    static int width(Dataset<Row> rows, String column) {
        positionOf(rows.schema(), column);
        List<Row> first = rows.select(column).takeAsList(1);
        if (first.isEmpty()) {
            throw new IllegalArgumentException("score: the real rows are empty; a card needs at least 2 rows on each side");
        }
        return first.get(0).getList(0).size();
    }

    private static int positionOf(StructType schema, String column) {
        List<String> names = Arrays.asList(schema.fieldNames());
        int at = names.indexOf(column);
        if (at < 0) {
            throw new IllegalArgumentException("score: the rows have no column \"" + column + "\"; they have " + names);
        }
        DataType type = schema.fields()[at].dataType();
        if (!(type instanceof ArrayType array) || !(array.elementType().equals(DataTypes.FloatType) || array.elementType().equals(DataTypes.DoubleType))) {
            throw new IllegalArgumentException("score: column \"" + column + "\" holds " + type.simpleString()
                    + "; features are an array of floats or doubles (array<float>), one per row");
        }
        return at;
    }

    @Override
    float[] features(List<Row> rows) {
        float[] out = new float[rows.size() * dim];
        for (int r = 0; r < rows.size(); r++) {
            List<Object> values = rows.get(r).getList(position);
            if (values.size() != dim) {
                throw new IllegalArgumentException("score: column \"" + column + "\" holds " + values.size() + " features in one row and "
                        + dim + " in the first; every row needs the same number");
            }
            for (int f = 0; f < dim; f++) {
                out[r * dim + f] = ((Number) values.get(f)).floatValue();
            }
        }
        return out;
    }
}
