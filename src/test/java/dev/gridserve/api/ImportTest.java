package dev.gridserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.support.Apps;
import dev.gridserve.support.Http;
import dev.gridserve.support.PostgresSchema;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Bulk import on PostgreSQL: NDJSON and gzip CSV, inserts and updates matched by _id or a unique field,
 * every rejection kind named by line and field, all-or-nothing leaving nothing behind, duplicate keys inside
 * one file, and the rows searchable when the job says it succeeded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImportTest {
    final PostgresSchema pg = new PostgresSchema();
    ConfigurableApplicationContext app;
    Http http;

    @BeforeAll
    void start() {
        app = Apps.start(Apps.over(
                pg,
                pg.dataDir,
                "gridserve.imports.max-upload=2MB",
                // the first batch of an all-or-nothing import under a savepoint, the rest unguarded
                "gridserve.imports.max-savepoints=1",
                "gridserve.data.seed-on-empty=300"));
        http = Apps.http(app);
    }

    @AfterAll
    void stop() {
        app.close();
        pg.drop();
    }

    static String order(String number, String customer, String status, String total) {
        return "{\"order_number\":\"" + number + "\",\"customer\":\"" + customer + "\",\"status\":\"" + status
                + "\",\"country\":\"Chile\",\"total\":" + total
                + ",\"items\":2,\"placed_at\":\"2026-03-01T00:00:00Z\"}";
    }

    Http.Response upload(String table, String query, String contentType, byte[] body, boolean gzip) {
        return upload(http, table, query, contentType, body, gzip);
    }

    static Http.Response upload(Http http, String table, String query, String contentType, byte[] body, boolean gzip) {
        HttpRequest.Builder b = HttpRequest.newBuilder(http.uri("/api/v1/" + table + "/import" + query))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (gzip) {
            b.header("Content-Encoding", "gzip");
        }
        return http.send(b);
    }

    /** Starts an import and waits for its report. */
    JsonNode run(String table, String query, String contentType, String body, boolean gzip) throws Exception {
        return run(http, table, query, contentType, body, gzip);
    }

    static JsonNode run(Http http, String table, String query, String contentType, String body, boolean gzip)
            throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (gzip) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream z = new GZIPOutputStream(out)) {
                z.write(bytes);
            }
            bytes = out.toByteArray();
        }
        Http.Response r = upload(http, table, query, contentType, bytes, gzip);
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        String location = r.header("Location");
        assertThat(location).startsWith("/api/v1/jobs/");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = http.get(location).json();
            String state = job.get("state").stringValue();
            if (state.equals("succeeded") || state.equals("failed")) {
                return job;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the import did not finish");
    }

    long count(String table, String query) {
        return http.get("/api/v1/" + table + "?page_size=1&" + query)
                .json()
                .get("total")
                .asLong();
    }

    long maxSeq(String log) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "postgres", "");
                ResultSet rs = c.createStatement().executeQuery("SELECT COALESCE(MAX(seq), 0) FROM " + log)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void ndjsonInsertsThenUpdatesByUniqueKeyAndIsSearchableWhenDone() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 12_000; i++) {
            sb.append(order("IMP-" + i, "Importer " + i, i % 2 == 0 ? "paid" : "pending", (i % 500) + ".25"))
                    .append('\n');
        }
        JsonNode job = run("orders", "?match=order_number", "application/x-ndjson", sb.toString(), false);
        assertThat(job.get("state").stringValue()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.get("rows_read").asLong()).isEqualTo(12_000);
        assertThat(job.get("rows_inserted").asLong()).isEqualTo(12_000);
        assertThat(job.get("rows_rejected").asLong()).isZero();
        assertThat(job.get("progress").asDouble()).isEqualTo(1.0);
        assertThat(count("orders", "search=importer"))
                .as("searchable when the job says so")
                .isEqualTo(12_000);
        assertThat(count("orders", "search=importer&status=paid")).isEqualTo(6_000);

        // the same keys again (any case): updates of the fields sent, no new rows
        String updates = "{\"order_number\":\"imp-1\",\"status\":\"shipped\"}\n"
                + "{\"order_number\":\"IMP-2\",\"status\":\"shipped\",\"note\":\"second import\"}\n";
        JsonNode second = run("orders", "?match=order_number", "application/x-ndjson", updates, false);
        assertThat(second.get("rows_updated").asLong()).as(second.toString()).isEqualTo(2);
        assertThat(second.get("rows_inserted").asLong()).isZero();
        assertThat(count("orders", "search=importer")).isEqualTo(12_000);
        assertThat(count("orders", "search=importer&status=shipped")).isEqualTo(2);
        JsonNode row = http.get("/api/v1/orders?search=second%20import")
                .json()
                .get("orders")
                .get(0);
        assertThat(row.get("customer").stringValue()).as("fields not sent stay").isEqualTo("Importer 2");
        JsonNode history = http.get("/api/v1/orders/" + row.get("_id").stringValue() + "/history")
                .json();
        assertThat(history.get("history").get(0).get("action").stringValue()).isEqualTo("import");
    }

    @Test
    void gzipCsvIntoProductsMatchedBySku() throws Exception {
        String csv = "name,description,price,category,stock,sku,tags\n"
                + "CSV Lamp,\"Warm, \"\"soft\"\" light\",19.99,Home,4,CSV-1,\"New,sale,NEW\"\n"
                + "CSV Desk,Oak,249.00,Office,1,CSV-2,\n";
        JsonNode job = run("products", "?match=sku", "text/csv", csv, true);
        assertThat(job.get("state").stringValue()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.get("rows_inserted").asLong()).isEqualTo(2);
        JsonNode lamp =
                http.get("/api/v1/products?search=csv-1").json().get("products").get(0);
        assertThat(lamp.get("description").stringValue()).isEqualTo("Warm, \"soft\" light");
        assertThat(lamp.get("price").decimalValue()).isEqualByComparingTo("19.99");
        // products' tags are lower case and held once each, by import as by POST
        assertThat(lamp.get("tags").toString()).isEqualTo("[\"new\",\"sale\"]");
        // by _id: the row an export names is updated
        String id = lamp.get("_id").stringValue();
        JsonNode byId = run("products", "", "text/csv", "_id,stock\n" + id + ",40\n", false);
        assertThat(byId.get("rows_updated").asLong()).as(byId.toString()).isEqualTo(1);
        assertThat(http.get("/api/v1/products/" + id).json().get("stock").asInt())
                .isEqualTo(40);
    }

    @Test
    void everyRejectionIsNamedByLineAndFieldAndSkipInvalidLoadsTheRest() throws Exception {
        String existing = http.get("/api/v1/products?page_size=1")
                .json()
                .get("products")
                .get(0)
                .get("sku")
                .stringValue();
        String body = String.join(
                "\n",
                order("REJ-OK-1", "Good One", "paid", "1"), // 1
                "{not json", // 2
                "[1,2]", // 3
                "{\"order_number\":\"REJ-3\",\"customer\":\"No Status\"}", // 4: required fields
                order("REJ-4", "Bad Total", "paid", "\"much\""), // 5: type
                order("REJ-5", "Bad Status", "lost", "1"), // 6: allowed values
                order("REJ-6", "Extra", "paid", "1").replace("}", ",\"colour\":\"red\"}"), // 7: unknown field
                "{\"_id\":\"999999999\",\"customer\":\"Nobody\"}", // 8: no such _id
                order("REJ-OK-2", "Good Two", "paid", "2")); // 9
        JsonNode job = run("orders", "?mode=skip_invalid", "application/x-ndjson", body, false);
        assertThat(job.get("state").stringValue()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.get("rows_inserted").asLong()).isEqualTo(2);
        assertThat(job.get("rows_rejected").asLong()).as("rows, not problems").isEqualTo(7);
        Map<Long, List<String>> byLine = new TreeMap<>();
        job.get("errors")
                .forEach(e -> byLine.computeIfAbsent(e.get("line").asLong(), k -> new ArrayList<>())
                        .add(e.get("field").isNull() ? "-" : e.get("field").stringValue()));
        assertThat(byLine.keySet()).containsExactly(2L, 3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(byLine.get(4L)).contains("status", "country", "total", "items", "placed_at");
        assertThat(byLine.get(5L)).containsExactly("total");
        assertThat(byLine.get(6L)).containsExactly("status");
        assertThat(byLine.get(7L)).containsExactly("colour");
        assertThat(byLine.get(8L)).containsExactly("_id");
        job.get("errors")
                .forEach(e -> assertThat(e.get("message").stringValue()).startsWith("Line "));
        assertThat(count("orders", "search=rej-ok")).isEqualTo(2);

        // unique values: taken by a row of the table, or twice in the file
        String products = "{\"name\":\"U1\",\"description\":\"d\",\"price\":1,\"category\":\"C\",\"stock\":1,\"sku\":\""
                + existing.toLowerCase() + "\"}\n"
                + "{\"name\":\"U2\",\"description\":\"d\",\"price\":1,\"category\":\"C\",\"stock\":1,\"sku\":\"DUP-1\"}\n"
                + "{\"name\":\"U3\",\"description\":\"d\",\"price\":1,\"category\":\"C\",\"stock\":1,\"sku\":\"dup-1\"}\n";
        JsonNode unique = run("products", "?mode=skip_invalid", "application/x-ndjson", products, false);
        assertThat(unique.get("rows_inserted").asLong()).as(unique.toString()).isEqualTo(1);
        List<String> messages = new ArrayList<>();
        unique.get("errors").forEach(e -> messages.add(e.get("message").stringValue()));
        assertThat(messages)
                .anyMatch(m -> m.startsWith("Line 1: 'sku'") && m.contains("already used by row"))
                .anyMatch(m -> m.startsWith("Line 3: 'sku'") && m.contains("also in line 2"));
    }

    @Test
    void allOrNothingWritesNothingWhenOneRecordIsBad() throws Exception {
        long before = count("orders", "");
        long seqBefore = maxSeq("orders_changes");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 7_000; i++) { // more than one batch: the first is written before the bad one is seen
            sb.append(order("AON-" + i, "All Or Nothing", "paid", "3")).append('\n');
        }
        sb.append(order("AON-bad", "All Or Nothing", "paid", "-5")).append('\n');
        JsonNode job = run("orders", "", "application/x-ndjson", sb.toString(), false);
        assertThat(job.get("state").stringValue()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.get("rolled_back").booleanValue()).isTrue();
        assertThat(job.get("rows_inserted").asLong()).isZero();
        assertThat(job.get("rows_rejected").asLong()).isEqualTo(1);
        assertThat(job.get("errors").get(0).get("line").asLong()).isEqualTo(7_001);
        assertThat(count("orders", "")).isEqualTo(before);
        assertThat(count("orders", "search=all%20or%20nothing")).isZero();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "postgres", "");
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT COUNT(*) FROM orders WHERE customer = 'All Or Nothing'")) {
            rs.next();
            assertThat(rs.getLong(1)).as("nothing behind in the database").isZero();
        }
        assertThat(maxSeq("orders_changes")).as("nor in the change log").isEqualTo(seqBefore);
    }

    /**
     * Past its savepoints an all-or-nothing import writes unguarded: a value repeated from an earlier batch of the
     * file ends the transaction, and the report still names the line, and the rest of the file is still checked.
     */
    @Test
    void allOrNothingNamesAValueRepeatedFromAnEarlierBatchAndLeavesNothing() throws Exception {
        long before = count("orders", "");
        long seqBefore = maxSeq("orders_changes");
        int n = 4 * Importer.BATCH;
        int repeatLine = 2 * Importer.BATCH + 7; // third batch, repeating a value of the second (unguarded) one
        int badLine = n - 3; // a batch after the conflict: still checked
        StringBuilder sb = new StringBuilder();
        for (int line = 1; line <= n; line++) {
            String number = line == repeatLine ? "rep-" + (Importer.BATCH + 11) : "REP-" + line;
            sb.append(order(number, "Repeated Value", "paid", line == badLine ? "-1" : "2"))
                    .append('\n');
        }
        JsonNode job = run("orders", "", "application/x-ndjson", sb.toString(), true);
        assertThat(job.get("state").stringValue()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.get("rolled_back").booleanValue()).isTrue();
        assertThat(job.get("rows_inserted").asLong()).isZero();
        assertThat(job.get("rows_read").asLong()).isEqualTo(n);
        assertThat(job.get("rows_rejected").asLong()).isEqualTo(2);
        JsonNode first = job.get("errors").get(0);
        assertThat(first.get("line").asLong()).isEqualTo(repeatLine);
        assertThat(first.get("field").stringValue()).isEqualTo("order_number");
        assertThat(first.get("message").stringValue()).contains("'rep-" + (Importer.BATCH + 11) + "'", "earlier line");
        assertThat(job.get("errors").get(1).get("line").asLong()).isEqualTo(badLine);
        assertThat(count("orders", "")).isEqualTo(before);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "postgres", "");
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT COUNT(*) FROM orders WHERE customer = 'Repeated Value'")) {
            rs.next();
            assertThat(rs.getLong(1)).as("nothing behind in the database").isZero();
        }
        assertThat(maxSeq("orders_changes")).as("nor in the change log").isEqualTo(seqBefore);
    }

    @Test
    void aValueTakenByARowOfTheTableIsRejectedByLineAndTheRestOfItsBatchIsWritten() throws Exception {
        takenValues(http, "TAKEN-PG");
    }

    /**
     * Unique values are left to the table's unique index first; a batch it refuses is rolled back to a savepoint
     * and written again without the records holding taken values. The taken value sits in the second batch.
     */
    static void takenValues(Http http, String prefix) throws Exception {
        JsonNode seeded =
                run(http, "orders", "", "application/x-ndjson", order(prefix + "-OLD", "Old", "paid", "1"), false);
        assertThat(seeded.get("rows_inserted").asLong()).as(seeded.toString()).isEqualTo(1);
        StringBuilder sb = new StringBuilder();
        int n = Importer.BATCH + 1_000;
        int takenLine = Importer.BATCH + 500;
        for (int line = 1; line <= n; line++) {
            String number = line == takenLine ? prefix.toLowerCase() + "-old" : prefix + "-" + line;
            sb.append(order(number, prefix + " Batch", "paid", "2")).append('\n');
        }
        JsonNode skip = run(http, "orders", "?mode=skip_invalid", "application/x-ndjson", sb.toString(), false);
        assertThat(skip.get("rows_inserted").asLong()).as(skip.toString()).isEqualTo(n - 1);
        assertThat(skip.get("rows_rejected").asLong()).isEqualTo(1);
        JsonNode error = skip.get("errors").get(0);
        assertThat(error.get("line").asLong()).isEqualTo(takenLine);
        assertThat(error.get("field").stringValue()).isEqualTo("order_number");
        assertThat(error.get("message").stringValue()).contains("already used by row");
        assertThat(countOf(http, "orders", "search=" + prefix.toLowerCase() + "%20batch"))
                .isEqualTo(n - 1);

        String again = sb.toString().replace(prefix + "-", prefix + "-B");
        JsonNode all = run(http, "orders", "", "application/x-ndjson", again, false);
        assertThat(all.get("rolled_back").booleanValue()).as(all.toString()).isTrue();
        assertThat(all.get("errors").get(0).get("line").asLong()).isEqualTo(takenLine);
        assertThat(countOf(http, "orders", "search=" + prefix.toLowerCase() + "-b"))
                .isZero();
    }

    static long countOf(Http http, String table, String query) {
        return http.get("/api/v1/" + table + "?page_size=1&" + query)
                .json()
                .get("total")
                .asLong();
    }

    @Test
    void aLineTooLongIsRejectedWithoutBeingHeldAndTheRestLoads() throws Exception {
        String body = order("LONG-OK-1", "Long Neighbour", "paid", "1") + "\n"
                + "{\"note\":\"" + "x".repeat(ImportRecords.MAX_LINE + 10) + "\"}\n"
                + order("LONG-OK-2", "Long Neighbour", "paid", "2") + "\n";
        JsonNode job = run("orders", "?mode=skip_invalid", "application/x-ndjson", body, false);
        assertThat(job.get("rows_inserted").asLong()).as(job.toString()).isEqualTo(2);
        assertThat(job.get("errors").get(0).get("line").asLong()).isEqualTo(2);
        assertThat(job.get("errors").get(0).get("message").stringValue()).contains("longer than");
        assertThat(count("orders", "search=long%20neighbour")).isEqualTo(2);
    }

    @Test
    void duplicateKeysInOneFileApplyInOrder() throws Exception {
        String body = order("DUP-ORDER", "First", "pending", "1") + "\n"
                + "{\"order_number\":\"dup-order\",\"status\":\"paid\"}\n"
                + "{\"order_number\":\"DUP-ORDER\",\"customer\":\"Last\"}\n";
        JsonNode job = run("orders", "?match=order_number", "application/x-ndjson", body, false);
        assertThat(job.get("rows_rejected").asLong()).as(job.toString()).isZero();
        JsonNode rows = http.get("/api/v1/orders?search=dup-order").json();
        assertThat(rows.get("total").asLong()).as("one row").isEqualTo(1);
        JsonNode r = rows.get("orders").get(0);
        assertThat(r.get("customer").stringValue()).isEqualTo("Last");
        assertThat(r.get("status").stringValue()).isEqualTo("paid");
    }

    @Test
    void uploadsAreCheckedBeforeAnythingRuns() {
        assertThat(http.anonymous()
                        .send(HttpRequest.newBuilder(http.uri("/api/v1/orders/import"))
                                .header("Content-Type", "application/x-ndjson")
                                .POST(HttpRequest.BodyPublishers.ofString("{}")))
                        .status())
                .isEqualTo(401);
        assertThat(upload("orders", "", "application/json", "{}".getBytes(), false)
                        .status())
                .isEqualTo(415);
        assertThat(upload("orders", "?mode=maybe", "application/x-ndjson", "{}".getBytes(), false)
                        .status())
                .isEqualTo(422);
        assertThat(upload("orders", "?match=customer", "application/x-ndjson", "{}".getBytes(), false)
                        .status())
                .as("not a unique field")
                .isEqualTo(422);
        assertThat(upload("nope", "", "application/x-ndjson", "{}".getBytes(), false)
                        .status())
                .isEqualTo(404);
        assertThat(upload("orders", "", "application/x-ndjson", new byte[0], false)
                        .status())
                .isEqualTo(400);
        byte[] big = new byte[2 * 1024 * 1024 + 10];
        java.util.Arrays.fill(big, (byte) ' ');
        Http.Response tooBig = upload("orders", "", "application/x-ndjson", big, false);
        assertThat(tooBig.status()).isEqualTo(413);
        assertThat(tooBig.json().get("detail").stringValue()).contains("IMPORT_MAX_UPLOAD");
        assertThat(http.get("/api/v1/jobs/nope").status()).isEqualTo(404);
        assertThat(http.anonymous().get("/api/v1/jobs/nope").status()).isEqualTo(401);
    }
}
