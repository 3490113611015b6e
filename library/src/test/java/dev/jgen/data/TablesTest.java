package dev.jgen.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged tables, ARFF reading and splitting. */
class TablesTest {
    @Test
    void creditGHasItsThousandCustomersInSevenIntegerAndFourteenCategoricalColumns() {
        Table credit = Tables.creditG();
        assertEquals(1000, credit.rowCount());
        assertEquals(21, credit.columnCount());
        assertEquals(7, credit.columns().stream().filter(c -> c.type() == ColumnType.INTEGER).count());
        assertEquals(14, credit.columns().stream().filter(c -> c.type() == ColumnType.STRING).count());
        assertEquals(0, credit.columns().stream().mapToInt(c -> c.countMissing()).sum());
        assertEquals("radio/tv", credit.stringColumn("purpose").get(0), "unquoted nominal values");
        assertEquals("critical/other existing credit", credit.stringColumn("credit_history").get(0), "quoted ones");
        assertEquals(700, credit.stringColumn("class").isEqualTo("good").size());
    }

    @Test
    void penguinsKeepTheirMissingValues() {
        Table penguins = Tables.penguins();
        assertEquals(344, penguins.rowCount());
        assertEquals(8, penguins.columnCount());
        assertEquals(2, penguins.column("bill_length_mm").countMissing());
        assertEquals(11, penguins.column("sex").countMissing());
        assertEquals(ColumnType.INTEGER, penguins.column("flipper_length_mm").type());
        assertEquals(3, penguins.stringColumn("species").unique().size());
    }

    @Test
    void aMissingTableNamesTheCommandThatInstallsIt(@TempDir Path empty) {
        DataException e = assertThrows(DataException.class,
                () -> Tables.find(new Tables.Packaged("credit-g.arff", empty.resolve("nowhere.arff"), "weka"), empty.toString()));
        assertTrue(e.getMessage().contains("sudo apt-get install weka"), e.getMessage());
    }

    @Test
    void readsArffWithQuotesMissingValuesAndDecimals(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("t.arff");
        Files.writeString(file, """
                % a comment
                @relation 'little one'
                @attribute 'the size' numeric
                @attribute count integer
                @attribute kind {a, 'b c'}
                @data
                1.5, 2, a
                ?, 3, 'b c'
                2, ?, ?
                """);
        Table table = Tables.arff(file);
        assertEquals("little one", table.name());
        assertEquals(ColumnType.DOUBLE, table.column("the size").type());
        assertEquals(ColumnType.INTEGER, table.column("count").type());
        assertEquals("b c", table.stringColumn("kind").get(1));
        assertEquals(1, table.column("the size").countMissing());
        assertEquals(1, table.column("count").countMissing());
        assertEquals(1, table.column("kind").countMissing());
        Files.writeString(file, "@attribute x numeric\n@data\n1,2\n");
        assertTrue(assertThrows(DataException.class, () -> Tables.arff(file)).getMessage().contains("has 2 values"));
    }

    @Test
    void splitsRowsIntoTwoDisjointParts() {
        Table credit = Tables.creditG();
        Table[] parts = Tables.split(credit, 0.8, 1);
        assertEquals(800, parts[0].rowCount());
        assertEquals(200, parts[1].rowCount());
        assertEquals(Tables.split(credit, 0.8, 1)[1].print(), parts[1].print(), "the same seed, the same split");
        assertThrows(IllegalArgumentException.class, () -> Tables.split(credit, 1.0, 1));
    }
}
