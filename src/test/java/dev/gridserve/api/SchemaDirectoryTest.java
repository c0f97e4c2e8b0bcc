package dev.gridserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.support.Apps;
import dev.gridserve.support.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * What a newcomer does: drops a schema file into SCHEMA_DIR and restarts, on the embedded H2 default. The table
 * is created and served; then a change to what its index holds (a field made sortable) and a new optional field
 * are picked up by the next restart: the column is added in place, the index rebuilt beside the old one, and the
 * rows written before are still there.
 */
class SchemaDirectoryTest {
    static final String TICKETS = """
            table: tickets
            fields:
              title:    {type: text, required: true, searchable: true, sortable: true, max_length: 200}
              priority: {type: keyword, required: true, filterable: true, facet: true, allowed: [low, normal, high]}
              estimate: {type: decimal, scale: 1, filterable: true, stats: true, min: 0}
              created_at: {type: timestamp, sortable: true}
              updated_at: {type: timestamp, sortable: true}
            """;

    @TempDir
    Path data;

    @TempDir
    Path schemas;

    private ConfigurableApplicationContext start() {
        return Apps.start(Apps.embedded(data, "gridserve.schemas.dir=" + schemas));
    }

    @Test
    void aDroppedSchemaFileIsServedAndItsChangesAreAppliedAtTheNextStart() throws Exception {
        Files.writeString(schemas.resolve("tickets.yaml"), TICKETS);
        try (ConfigurableApplicationContext app = start()) {
            Http http = Apps.http(app);
            List<String> names = new ArrayList<>();
            http.get("/api/v1/tables")
                    .json()
                    .get("tables")
                    .forEach(t -> names.add(t.get("name").stringValue()));
            assertThat(names).containsExactly("orders", "products", "tickets");
            for (String[] t : new String[][] {{"Printer on fire", "high", "0.5"}, {"Paper jam", "low", "2"}}) {
                Http.Response r = http.post(
                        "/api/v1/tickets",
                        "{\"title\":\"" + t[0] + "\",\"priority\":\"" + t[1] + "\",\"estimate\":" + t[2] + "}");
                assertThat(r.status()).as(r.raw()).isEqualTo(201);
            }
            JsonNode high =
                    http.get("/api/v1/tickets?priority=HIGH&facets=priority").json();
            assertThat(high.get("total").asLong()).isEqualTo(1);
            assertThat(high.get("tickets").get(0).get("estimate").decimalValue())
                    .isEqualByComparingTo("0.5");
            assertThat(http.get("/api/v1/tickets?sort_by=estimate").status())
                    .as("not sortable yet")
                    .isEqualTo(422);
        }

        Files.writeString(
                schemas.resolve("tickets.yaml"),
                TICKETS.replace(
                                "estimate: {type: decimal, scale: 1, filterable: true, stats: true, min: 0}",
                                "estimate: {type: decimal, scale: 1, filterable: true, sortable: true, stats: true,"
                                        + " min: 0}")
                        .replace(
                                "  created_at:",
                                "  assignee: {type: keyword, filterable: true, facet: true, max_length: 50}\n  created_at:"));
        try (ConfigurableApplicationContext app = start()) {
            Http http = Apps.http(app);
            JsonNode health = http.get("/health").json().get("tables").get("tickets");
            assertThat(health.get("rebuilds").asInt())
                    .as("the index of the old layout is rebuilt beside it")
                    .isPositive();
            JsonNode sorted =
                    http.get("/api/v1/tickets?sort_by=estimate&sort_order=desc").json();
            assertThat(sorted.get("total").asLong())
                    .as("the rows written before are kept")
                    .isEqualTo(2);
            assertThat(sorted.get("tickets").get(0).get("title").stringValue()).isEqualTo("Paper jam");
            assertThat(sorted.get("tickets").get(0).has("assignee"))
                    .as("the new optional field")
                    .isTrue();
            Http.Response assigned = http.put(
                    "/api/v1/tickets/" + sorted.get("tickets").get(0).get("_id").stringValue(),
                    "{\"assignee\":\"Grace\"}");
            assertThat(assigned.status()).as(assigned.raw()).isEqualTo(200);
            assertThat(http.get("/api/v1/tickets?assignee=grace")
                            .json()
                            .get("total")
                            .asLong())
                    .isEqualTo(1);
        }
    }

    @Test
    void aMistakeInADroppedFileStopsTheStartNamingTheFieldAndAMissingDirectoryToo() throws Exception {
        Files.writeString(schemas.resolve("bad.yml"), TICKETS.replace("type: decimal", "type: money"));
        assertThat(org.assertj.core.api.Assertions.catchThrowable(this::start))
                .hasStackTraceContaining("estimate")
                .hasStackTraceContaining("'type' must be one of");
        Files.delete(schemas.resolve("bad.yml"));
        Path missing = schemas.resolve("nope");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> Apps.start(
                        "gridserve.data.dir=" + data, "gridserve.database.url=", "gridserve.schemas.dir=" + missing)))
                .hasStackTraceContaining("SCHEMA_DIR")
                .hasStackTraceContaining("not a directory");
    }
}
