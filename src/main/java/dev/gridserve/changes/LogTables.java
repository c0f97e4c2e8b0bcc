package dev.gridserve.changes;

/**
 * Where one table's change log lives: its log table, the columns naming the row, the sequence numbering its
 * entries and the one giving its rows their ids, and its key in gridserve_meta. Products keep the names they
 * had before tables were generic; every other table's come from its name.
 */
public record LogTables(
        String table, String log, String idColumn, String idToColumn, String seq, String idSeq, String prunedKey) {

    public static LogTables of(String table) {
        if (table.equals("products")) {
            return new LogTables(
                    "products",
                    "product_changes",
                    "product_id",
                    "product_id_to",
                    "change_seq",
                    "product_id_seq",
                    "pruned_through");
        }
        return new LogTables(
                table,
                table + "_changes",
                "row_id",
                "row_id_to",
                table + "_change_seq",
                table + "_id_seq",
                "pruned_through:" + table);
    }
}
