package dev.jgen.model.tabular;

import dev.jgen.data.DataException;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DateColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.time.LocalDate;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mode-specific normalisation and one-hot codes: a table survives encoding and decoding, types and gaps included. */
class TableEncodingTest {
    private static Table mixed() {
        IntColumn age = IntColumn.create("age", new int[] {21, 22, 23, 60, 61, 62, 20, 63});
        age.set(3, (Integer) null);
        DoubleColumn income = DoubleColumn.create("income", new double[] {1.5, 2.5, 1.0, 100, 120, 110, 2.0, 105});
        // Built by appending: Tablesaw 0.44's StringColumn.setMissing leaves a value it does not count as missing.
        StringColumn city = StringColumn.create("city");
        for (String name : new String[] {"Oslo", null, "Oslo", "Lima", "Oslo", "Rome", "Oslo", "Lima"}) {
            if (name == null) {
                city.appendMissing();
            } else {
                city.append(name);
            }
        }
        BooleanColumn member = BooleanColumn.create("member", new boolean[] {true, false, true, true, false, false, true, true});
        return Table.create("customers").addColumns(age, income, city, member);
    }

    @Test
    void rowsSurviveEncodingAndDecoding() {
        Table table = mixed();
        TableEncoding encoding = TableEncoding.learn(table, 10, new Random(1));
        float[] rows = encoding.encode(table, new Random(2));
        assertEquals(table.rowCount() * encoding.width(), rows.length);
        // One-hot parts hold exactly one 1 per row and column; decoding then draws that slot.
        Table back = encoding.decode("back", rows, table.rowCount(), new Random(3));
        assertEquals(table.columnNames(), back.columnNames());
        for (int r = 0; r < table.rowCount(); r++) {
            assertEquals(table.intColumn("age").get(r), back.intColumn("age").get(r), "integers come back whole, gaps as gaps");
            assertEquals(table.doubleColumn("income").get(r), back.doubleColumn("income").get(r), 1e-3);
            assertEquals(table.stringColumn("city").get(r), back.stringColumn("city").get(r));
            assertEquals(table.booleanColumn("member").get(r), back.booleanColumn("member").get(r));
        }
        assertEquals(1, back.column("city").countMissing());
    }

    @Test
    void aBimodalColumnGetsTwoModesAndMissingValuesAnOwnSlot() {
        TableEncoding encoding = TableEncoding.learn(mixed(), 10, new Random(1));
        TableEncoding.ColumnCode income = encoding.column("income");
        assertEquals(2, income.means().length, "two clusters of incomes, around 2 and 110");
        TableEncoding.ColumnCode age = encoding.column("age");
        assertTrue(age.missing());
        assertTrue(age.numeric() && !age.moded(), "whole numbers of few values are coded like categories");
        assertEquals(age.categories().size() + 1, age.slots());
        assertEquals(java.util.List.of("Oslo", "Lima", "Rome"), encoding.column("city").categories(), "most frequent first");
        assertEquals(1, encoding.values(), "one moded column, one value, first in a row");
    }

    @Test
    void decodedValuesStayInTheSeenRange() {
        Table table = mixed();
        TableEncoding encoding = TableEncoding.learn(table, 10, new Random(1));
        // The largest value of the highest mode reaches past the largest value seen: it is clipped there.
        float[] extreme = new float[encoding.width()];
        extreme[0] = 1;
        for (TableEncoding.Span span : encoding.spans()) {
            if (span.oneHot()) {
                TableEncoding.ColumnCode code = encoding.columns().get(span.column());
                int slot = 0;
                for (int m = 0; code.moded() && m < code.means().length; m++) {
                    slot = code.means()[m] > code.means()[slot] ? m : slot;
                }
                extreme[span.start() + slot] = 1;
            }
        }
        Table back = encoding.decode("back", extreme, 1, new Random(1));
        assertEquals(120, back.doubleColumn("income").get(0), 1e-9);
    }

    @Test
    void unsupportedColumnsAndUnseenCategoriesAreExplained() {
        Table dated = Table.create("t").addColumns(DateColumn.create("day", new LocalDate[] {LocalDate.of(2026, 1, 1)}));
        DataException e = assertThrows(DataException.class, () -> TableEncoding.learn(dated, 10, new Random(1)));
        assertTrue(e.getMessage().contains("\"day\" holds local_date values"), e.getMessage());
        TableEncoding encoding = TableEncoding.learn(mixed(), 10, new Random(1));
        Table other = mixed();
        other.stringColumn("city").set(0, "Paris");
        IllegalArgumentException unseen = assertThrows(IllegalArgumentException.class, () -> encoding.encode(other, new Random(1)));
        assertTrue(unseen.getMessage().contains("\"Paris\""), unseen.getMessage());
    }
}
