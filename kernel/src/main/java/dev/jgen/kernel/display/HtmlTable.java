package dev.jgen.kernel.display;

import tech.tablesaw.api.Table;

/** A Tablesaw table as an HTML table: the first rows, a row count, escaped cells. */
final class HtmlTable {
    private HtmlTable() {}

    static String of(Table table, int maxRows) {
        StringBuilder html = new StringBuilder("<table><thead><tr>");
        for (String name : table.columnNames()) {
            html.append("<th>").append(escape(name)).append("</th>");
        }
        html.append("</tr></thead><tbody>");
        int shown = Math.min(maxRows, table.rowCount());
        for (int r = 0; r < shown; r++) {
            html.append("<tr>");
            for (int c = 0; c < table.columnCount(); c++) {
                html.append("<td>").append(escape(table.getString(r, c))).append("</td>");
            }
            html.append("</tr>");
        }
        html.append("</tbody></table>");
        String caption = table.name() == null ? "" : escape(table.name()) + ": ";
        html.append(String.format("<p>%s%,d rows x %d columns%s</p>", caption, table.rowCount(), table.columnCount(),
                shown < table.rowCount() ? String.format(" (first %d shown)", shown) : ""));
        return html.toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
