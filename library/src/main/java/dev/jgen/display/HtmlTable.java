package dev.jgen.display;

import tech.tablesaw.api.Table;

/** A Tablesaw table as an HTML table: the first rows, a row count, escaped cells. */
public final class HtmlTable {
    private HtmlTable() {}

    public static String of(Table table, int maxRows) {
        StringBuilder html = new StringBuilder("<table><thead><tr>");
        for (String name : table.columnNames()) {
            html.append("<th>").append(TextList.escape(name)).append("</th>");
        }
        html.append("</tr></thead><tbody>");
        int shown = Math.min(maxRows, table.rowCount());
        for (int r = 0; r < shown; r++) {
            html.append("<tr>");
            for (int c = 0; c < table.columnCount(); c++) {
                html.append("<td>").append(TextList.escape(cell(table, r, c))).append("</td>");
            }
            html.append("</tr>");
        }
        html.append("</tbody></table>");
        String caption = table.name() == null ? "" : TextList.escape(table.name()) + ": ";
        html.append(String.format("<p>%s%,d rows x %d columns%s</p>", caption, table.rowCount(), table.columnCount(),
                shown < table.rowCount() ? String.format(" (first %d shown)", shown) : ""));
        return html.toString();
    }

    /** Doubles with four decimals: metrics such as 283.5569184390721 are read, not audited. */
    private static String cell(Table table, int row, int column) {
        Object value = table.get(row, column);
        if (value instanceof Double d && Double.isFinite(d)) {
            double magnitude = Math.abs(d);
            return magnitude != 0 && (magnitude < 1e-3 || magnitude >= 1e7) ? String.format("%.4g", d) : String.format("%.4f", d);
        }
        return table.getString(row, column);
    }

}
