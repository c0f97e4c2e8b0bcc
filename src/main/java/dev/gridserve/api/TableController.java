package dev.gridserve.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gridserve.security.Callers;
import dev.gridserve.system.ApiException;
import dev.gridserve.system.JsonBodies;
import dev.gridserve.tables.QueryParser;
import dev.gridserve.tables.Table;
import dev.gridserve.tables.TableExport;
import dev.gridserve.tables.Tables;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Every table a schema file adds, at {@code /api/v1/{table}}, with the grammar products have: search,
 * {@code {field}=} any-of, {@code min_/max_{field}}, sorts, page numbers and cursors, facets, fields, stats,
 * export and CRUD. GET /api/v1/tables describes each table's fields.
 */
@RestController
@RequestMapping(value = "/api/v1/{table}", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "tables")
class TableController {
    private final Tables tables;
    private final TableService service;
    private final TableExport export;
    private final JsonBodies bodies;
    private final ChangeStreams streams;

    TableController(Tables tables, TableService service, TableExport export, JsonBodies bodies, ChangeStreams streams) {
        this.tables = tables;
        this.service = service;
        this.export = export;
        this.bodies = bodies;
        this.streams = streams;
    }

    private Table table(String name) {
        return tables.served(name);
    }

    @GetMapping
    @Operation(
            summary = "List, search, filter, sort and page a table's rows",
            description = "The rows are under the table's name; totals are exact; ties are broken by _id. Filters:"
                    + " {field}= for keyword and boolean fields (any of), min_{field} and max_{field} for numbers"
                    + " and times. GET /api/v1/tables/{table} says which fields do what.")
    ResponseEntity<byte[]> list(@PathVariable("table") String name, HttpServletRequest req) {
        Table t = table(name);
        return Responses.respond(req, service.list(t, t.parser().parse(req.getParameterMap())));
    }

    @GetMapping("/stats/summary")
    @Operation(
            summary = "Count, sum, average, minimum and maximum of every stats field over the (filtered) rows",
            description = "Takes the list's filters and search. Products answer in the shape of the service they"
                    + " replaced (totals, per category, price histogram); shape=fields gives every table's generic"
                    + " shape, products included.")
    @Parameter(in = ParameterIn.QUERY, name = "shape", description = "fields: the generic shape for every table")
    ResponseEntity<byte[]> stats(@PathVariable("table") String name, HttpServletRequest req) {
        Table t = table(name);
        Map<String, String[]> params = new HashMap<>(req.getParameterMap());
        String[] shape = params.remove("shape");
        if (shape != null && (shape.length != 1 || !shape[0].equals("fields"))) {
            throw ApiException.invalid("shape", "must be fields, or left out for the table's own summary");
        }
        return Responses.respond(req, service.stats(t, t.parser().parse(params), shape != null));
    }

    @GetMapping("/export")
    @Operation(summary = "Every row the list's filters, search and sort select, as a CSV, NDJSON or XLSX download")
    void export(@PathVariable("table") String name, HttpServletRequest req, HttpServletResponse res)
            throws IOException {
        Table t = table(name);
        export.export(req, res, t.parser(), t.following());
    }

    @GetMapping(value = "/changes/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(
            summary = "Server-Sent Events: each change as soon as this instance's index shows it",
            description = "Event change: {seq, op (upsert, delete, range, bulk, version), _id (or _id_from and"
                    + " _id_to), version}, its id the change-log number. Reconnecting with Last-Event-ID resumes"
                    + " after it; event resync means changes were missed: reload. A comment every heartbeat.")
    void changes(
            @PathVariable("table") String name,
            @RequestHeader(value = "Last-Event-ID", required = false) String lastEventId,
            HttpServletResponse res)
            throws IOException {
        streams.stream(table(name).following(), lastEventId, res);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One row by _id")
    ResponseEntity<byte[]> get(
            @PathVariable("table") String name, @PathVariable("id") String id, HttpServletRequest req) {
        Table t = table(name);
        QueryParser.rejectUnknown(req.getParameterMap(), java.util.Set.of(), java.util.Set.of());
        return Responses.respond(req, service.get(t, Ids.parse(id, t.schema().rowNoun())));
    }

    @PostMapping(consumes = MediaType.ALL_VALUE)
    @Operation(summary = "Create a row (201 with Location; 409 when a unique field's value is taken)")
    ResponseEntity<String> create(@PathVariable("table") String name, HttpServletRequest req) {
        Table t = table(name);
        String json = service.create(t, RowDraft.parse(t.schema(), bodies.read(req), false), Callers.actor());
        String id = json.substring(8, json.indexOf('"', 8));
        return ResponseEntity.created(URI.create("/api/v1/" + t.name() + "/" + id))
                .body(json);
    }

    @PutMapping(value = "/{id}", consumes = MediaType.ALL_VALUE)
    @Operation(summary = "Partially update a row: only the fields sent change")
    ResponseEntity<String> update(
            @PathVariable("table") String name, @PathVariable("id") String id, HttpServletRequest req) {
        Table t = table(name);
        long rid = Ids.parse(id, t.schema().rowNoun());
        return ResponseEntity.ok(
                service.update(t, rid, RowDraft.parse(t.schema(), bodies.read(req), true), Callers.actor()));
    }

    @PatchMapping(value = "/{id}", consumes = MediaType.ALL_VALUE)
    @Operation(summary = "Same as PUT: partial update")
    ResponseEntity<String> patch(
            @PathVariable("table") String name, @PathVariable("id") String id, HttpServletRequest req) {
        return update(name, id, req);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Delete a row (204; 404 if absent)")
    ResponseEntity<Void> delete(@PathVariable("table") String name, @PathVariable("id") String id) {
        Table t = table(name);
        service.delete(t, Ids.parse(id, t.schema().rowNoun()), Callers.actor());
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{id}/history")
    @Operation(summary = "A row's changes, newest first: who (actor), when and what; needs the writer role")
    History history(@PathVariable("table") String name, @PathVariable("id") String id, HttpServletRequest req) {
        Table t = table(name);
        long rid = Ids.parse(id, t.schema().rowNoun());
        return new History(
                Long.toString(rid),
                service.history(t, rid, QueryParser.historyLimit(req.getParameterMap())).stream()
                        .map(e -> new History.Entry(e.seq(), e.action(), e.actor(), e.changedAt()))
                        .toList());
    }

    /** A row's audit trail as sent: {@code _id} and its entries, newest first. */
    record History(@JsonProperty("_id") String id, List<Entry> history) {
        record Entry(long seq, String action, String actor, Instant changedAt) {}
    }
}
