package dev.jgen.model.tabular;

import dev.jgen.display.HtmlTable;
import dev.jgen.display.Renderable;
import dev.jgen.display.Rendered;
import tech.tablesaw.api.Table;

/** Rows a table model wrote: a Tablesaw {@link Table} like any other, which renders its first rows in a notebook. */
public final class SyntheticTable extends Table implements Renderable {
    private static final int ROWS_SHOWN = 10;

    SyntheticTable(Table columns) {
        super(columns.name(), columns.columns());
    }

    @Override
    public Rendered render() {
        return Rendered.html(HtmlTable.of(this, ROWS_SHOWN), print(ROWS_SHOWN));
    }
}
