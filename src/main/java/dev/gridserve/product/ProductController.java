package dev.gridserve.product;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gridserve.api.Ids;
import dev.gridserve.api.Responses;
import dev.gridserve.security.Callers;
import dev.gridserve.system.JsonBodies;
import dev.gridserve.tables.QueryParser;
import dev.gridserve.tables.Tables;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(value = "/api/v1/products", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "products")
class ProductController {
    private final ProductService service;
    private final QueryParser parser;
    private final JsonBodies bodies;

    ProductController(ProductService service, Tables tables, JsonBodies bodies) {
        this.service = service;
        this.parser = tables.require("products");
        this.bodies = bodies;
    }

    @GetMapping
    @Operation(
            summary = "List, search, filter, sort and page products",
            description = "Totals are exact; ties are broken by _id. Page numbers work up to the result window"
                    + " (page*page_size <= 100000 by default); use next_cursor to go deeper.")
    @Parameter(in = ParameterIn.QUERY, name = "page", description = "1-based page number (default 1)")
    @Parameter(in = ParameterIn.QUERY, name = "page_size", description = "1..1000 (default 50)")
    @Parameter(
            in = ParameterIn.QUERY,
            name = "search",
            description = "Every word must occur (as any part of a word) in name, description or SKU; max 200 chars")
    @Parameter(in = ParameterIn.QUERY, name = "category", description = "Repeatable; any of (case-insensitive)")
    @Parameter(in = ParameterIn.QUERY, name = "brand", description = "Repeatable; any of (case-insensitive)")
    @Parameter(in = ParameterIn.QUERY, name = "tags", description = "Any of: tags=a&tags=b, tags=a,b or tags[]=a")
    @Parameter(in = ParameterIn.QUERY, name = "min_price")
    @Parameter(in = ParameterIn.QUERY, name = "max_price")
    @Parameter(in = ParameterIn.QUERY, name = "min_stock")
    @Parameter(in = ParameterIn.QUERY, name = "max_stock")
    @Parameter(in = ParameterIn.QUERY, name = "min_rating", description = "0..5; products without rating are excluded")
    @Parameter(
            in = ParameterIn.QUERY,
            name = "sort_by",
            description = "name, price, created_at (default), updated_at, rating, stock, reviews_count, relevance")
    @Parameter(in = ParameterIn.QUERY, name = "sort_order", description = "asc or desc (default)")
    @Parameter(
            in = ParameterIn.QUERY,
            name = "sort",
            description = "Multi-column sort instead of sort_by/sort_order: up to 3 keys, e.g."
                    + " sort=price:asc,name:desc (asc when not said)")
    @Parameter(in = ParameterIn.QUERY, name = "cursor", description = "next_cursor of the previous page")
    @Parameter(in = ParameterIn.QUERY, name = "fields", description = "Projection, e.g. fields=name,price")
    @Parameter(in = ParameterIn.QUERY, name = "facets", description = "Any of category, brand, tags")
    ResponseEntity<byte[]> list(HttpServletRequest req) {
        return Responses.respond(req, service.list(parser.parse(req.getParameterMap())));
    }

    @GetMapping("/stats/summary")
    @Operation(summary = "Totals, averages and per-category figures over the (filtered) catalogue")
    ResponseEntity<byte[]> stats(HttpServletRequest req) {
        return Responses.respond(req, service.stats(parser.parse(req.getParameterMap())));
    }

    @GetMapping("/{id}")
    @Operation(summary = "One product by _id")
    ResponseEntity<byte[]> get(@PathVariable("id") String id, HttpServletRequest req) {
        return Responses.respond(req, service.get(parseId(id)));
    }

    @PostMapping(consumes = MediaType.ALL_VALUE)
    @Operation(summary = "Create a product (201 with Location; 409 on a duplicate SKU)")
    ResponseEntity<String> create(HttpServletRequest req) {
        Product p = service.create(ProductDraft.parse(bodies.read(req), false), Callers.actor());
        return ResponseEntity.created(URI.create("/api/v1/products/" + p.id())).body(ProductJson.write(p));
    }

    @PutMapping(value = "/{id}", consumes = MediaType.ALL_VALUE)
    @Operation(summary = "Partially update a product: only the fields sent change")
    ResponseEntity<String> update(@PathVariable("id") String id, HttpServletRequest req) {
        long pid = parseId(id);
        return ResponseEntity.ok(
                ProductJson.write(service.update(pid, ProductDraft.parse(bodies.read(req), true), Callers.actor())));
    }

    @PatchMapping(value = "/{id}", consumes = MediaType.ALL_VALUE)
    @Operation(summary = "Same as PUT: partial update")
    ResponseEntity<String> patch(@PathVariable("id") String id, HttpServletRequest req) {
        return update(id, req);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Delete a product (204; 404 if absent)")
    ResponseEntity<Void> delete(@PathVariable("id") String id) {
        service.delete(parseId(id), Callers.actor());
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{id}/history")
    @Operation(
            summary = "A product's changes, newest first: who (actor), when and what (create, update, delete, seed)",
            description = "Needs the writer or admin role. Covers the change log's retention (CHANGE_RETENTION,"
                    + " 7 days by default); limit is 1..1000 (default 100).")
    @Parameter(in = ParameterIn.QUERY, name = "limit", description = "1..1000 (default 100)")
    History history(@PathVariable("id") String id, HttpServletRequest req) {
        long pid = parseId(id);
        return new History(
                Long.toString(pid),
                service.history(pid, QueryParser.historyLimit(req.getParameterMap())).stream()
                        .map(e -> new History.Entry(e.seq(), e.action(), e.actor(), e.changedAt()))
                        .toList());
    }

    /** A product's audit trail as sent: {@code _id} and its entries, newest first. */
    record History(@JsonProperty("_id") String id, List<Entry> history) {
        record Entry(long seq, String action, String actor, Instant changedAt) {}
    }

    static long parseId(String raw) {
        return Ids.parse(raw, "product");
    }
}
