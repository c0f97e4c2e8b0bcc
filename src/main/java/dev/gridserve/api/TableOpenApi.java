package dev.gridserve.api;

import dev.gridserve.schema.FieldDef;
import dev.gridserve.schema.FieldType;
import dev.gridserve.schema.Schemas;
import dev.gridserve.schema.TableSchema;
import dev.gridserve.search.TableQuery;
import dev.gridserve.tables.QueryParser;
import dev.gridserve.tables.Tables;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.DateTimeSchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.NumberSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * The OpenAPI document per table, typed from its schema: each table's list, stats, row and write operations get
 * their parameters (every filter with its type, sort fields and facets as enumerations) and request and response
 * bodies; the generic {@code /api/v1/{table}} templates are replaced by one path per table. Products keep the
 * descriptions written for them and gain the types.
 */
@Component
class TableOpenApi implements OpenApiCustomizer {
    private static final String PREFIX = "/api/v1/";

    private final Schemas schemas;
    private final Tables tables;

    TableOpenApi(Schemas schemas, Tables tables) {
        this.schemas = schemas;
        this.tables = tables;
    }

    @Override
    public void customise(OpenAPI api) {
        Paths paths = api.getPaths() == null ? new Paths() : api.getPaths();
        Map<String, PathItem> templates = new LinkedHashMap<>();
        paths.forEach((p, item) -> {
            if (p.startsWith(PREFIX + "{table}")) {
                templates.put(p, item);
            }
        });
        templates.keySet().forEach(paths::remove);
        for (TableSchema s : schemas.all()) {
            QueryParser parser = tables.require(s.name()).parser();
            String base = PREFIX + s.name();
            api.schema(rowName(s), row(s));
            api.schema(writeName(s), write(s));
            api.schema(pageName(s), page(s));
            Map<String, PathItem> generated = new LinkedHashMap<>();
            templates.forEach((p, item) -> generated.put(p.replace(PREFIX + "{table}", base), copy(item)));
            for (Map.Entry<String, PathItem> e : generated.entrySet()) {
                PathItem existing = paths.get(e.getKey());
                PathItem item = existing != null ? existing : e.getValue();
                type(s, parser, e.getKey().substring(base.length()), item);
                paths.addPathItem(e.getKey(), item);
            }
        }
        api.setPaths(paths);
    }

    /** A path item of the templates with the {table} parameter dropped (the path names the table). */
    private static PathItem copy(PathItem template) {
        PathItem out = new PathItem();
        template.readOperationsMap().forEach((method, op) -> {
            Operation o = new Operation()
                    .summary(op.getSummary())
                    .description(op.getDescription())
                    .tags(op.getTags())
                    .responses(op.getResponses())
                    .requestBody(op.getRequestBody());
            if (op.getParameters() != null) {
                o.setParameters(new ArrayList<>(op.getParameters().stream()
                        .filter(p -> !"table".equals(p.getName()))
                        .toList()));
            }
            out.operation(method, o);
        });
        return out;
    }

    private void type(TableSchema s, QueryParser parser, String rest, PathItem item) {
        String tag = s.name();
        item.readOperationsMap().forEach((method, op) -> {
            op.setTags(List.of(tag));
            if (op.getOperationId() == null || op.getOperationId().isBlank()) {
                op.setOperationId(method.name().toLowerCase(java.util.Locale.ROOT) + "_" + s.name()
                        + rest.replaceAll("[^a-z]+", "_"));
            }
        });
        switch (rest) {
            case "" -> {
                if (item.getGet() != null) {
                    Operation get = item.getGet();
                    get.setParameters(listParameters(s, parser));
                    get.setResponses(ok("A page of rows", ref(pageName(s))));
                }
                if (item.getPost() != null) {
                    item.getPost().setRequestBody(body(s, true));
                    item.getPost().setResponses(status("201", "The row as stored", ref(rowName(s))));
                }
            }
            case "/stats/summary" -> {
                if (item.getGet() != null) {
                    item.getGet().setParameters(filterParameters(parser));
                }
            }
            case "/{id}" -> {
                for (Operation op : new Operation[] {item.getPut(), item.getPatch()}) {
                    if (op != null) {
                        op.setRequestBody(body(s, false));
                        op.setResponses(ok("The row as stored", ref(rowName(s))));
                    }
                }
                if (item.getGet() != null) {
                    item.getGet().setResponses(ok("The row", ref(rowName(s))));
                }
            }
            default -> {}
        }
    }

    private List<Parameter> listParameters(TableSchema s, QueryParser parser) {
        List<Parameter> out = new ArrayList<>();
        out.add(query("page", new IntegerSchema().minimum(BigDecimal.ONE), "1-based page number (default 1)"));
        out.add(query(
                "page_size",
                new IntegerSchema().minimum(BigDecimal.ONE).maximum(BigDecimal.valueOf(TableQuery.MAX_PAGE_SIZE)),
                "Rows per page"));
        out.add(query(
                "sort_by",
                new StringSchema()._enum(parser.sortable()),
                "One sort field (default created_at); relevance needs a search"));
        out.add(query("sort_order", new StringSchema()._enum(List.of("asc", "desc")), "asc or desc (default)"));
        out.add(query(
                "sort",
                new StringSchema().pattern("^[a-z_]+(:(asc|desc))?(,[a-z_]+(:(asc|desc))?){0,2}$"),
                "Several sort keys instead of sort_by/sort_order, e.g. total:desc,customer:asc"));
        out.add(query("cursor", new StringSchema(), "next_cursor of the previous page, with the same sort"));
        List<String> names = new ArrayList<>(List.of("_id"));
        s.fields().forEach(f -> names.add(f.name()));
        out.add(query("fields", new ArraySchema().items(new StringSchema()._enum(names)), "Projection"));
        if (!parser.facetable().isEmpty()) {
            out.add(query(
                    "facets",
                    new ArraySchema().items(new StringSchema()._enum(parser.facetable())),
                    "Value counts over the whole filtered set"));
        }
        out.addAll(filterParameters(parser));
        return out;
    }

    private List<Parameter> filterParameters(QueryParser parser) {
        List<Parameter> out = new ArrayList<>();
        if (parser.parameters().contains("search")) {
            out.add(query(
                    "search",
                    new StringSchema(),
                    "Every word must occur (as any part of a word) in a searchable field; case and accents ignored"));
        }
        for (String p : parser.filterParameters()) {
            FieldDef f = parser.filterField(p);
            if (f.type().discrete()) {
                Schema<?> item = f.type() == FieldType.BOOLEAN
                        ? new BooleanSchema()
                        : f.limits().allowed().isEmpty()
                                ? new StringSchema()
                                : new StringSchema()._enum(f.limits().allowed());
                out.add(query(p, new ArraySchema().items(item), "Any of these (repeatable; case-insensitive)"));
            } else {
                out.add(query(p, scalar(f), (p.startsWith("min_") ? "At least" : "At most") + " this (inclusive)"));
            }
        }
        return out;
    }

    private static Parameter query(String name, Schema<?> schema, String description) {
        return new Parameter().in("query").name(name).schema(schema).description(description);
    }

    private static RequestBody body(TableSchema s, boolean create) {
        return new RequestBody()
                .required(true)
                .description(create ? "Every required field" : "Only the fields to change")
                .content(new Content()
                        .addMediaType(
                                "application/json", new MediaType().schema(create ? ref(writeName(s)) : partial(s))));
    }

    private static Schema<?> partial(TableSchema s) {
        Schema<?> w = write(s);
        w.setRequired(null);
        return w;
    }

    private static ApiResponses ok(String description, Schema<?> schema) {
        return status("200", description, schema);
    }

    private static ApiResponses status(String code, String description, Schema<?> schema) {
        return new ApiResponses()
                .addApiResponse(
                        code,
                        new ApiResponse()
                                .description(description)
                                .content(new Content()
                                        .addMediaType("application/json", new MediaType().schema(schema))));
    }

    private static Schema<?> ref(String name) {
        return new Schema<>().$ref("#/components/schemas/" + name);
    }

    private static String rowName(TableSchema s) {
        return pascal(s.name()) + "Row";
    }

    private static String writeName(TableSchema s) {
        return pascal(s.name()) + "Write";
    }

    private static String pageName(TableSchema s) {
        return pascal(s.name()) + "Page";
    }

    private static String pascal(String name) {
        StringBuilder sb = new StringBuilder();
        for (String part : name.split("_")) {
            if (!part.isEmpty()) {
                sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return sb.toString();
    }

    private static Schema<?> row(TableSchema s) {
        ObjectSchema o = new ObjectSchema();
        o.addProperty("_id", new StringSchema().description("The row's id, as a string"));
        List<String> required = new ArrayList<>(List.of("_id"));
        for (FieldDef f : s.fields()) {
            Schema<?> v = value(f);
            if (!f.required() && !f.system() && f.type() != FieldType.KEYWORD_LIST) {
                v.setNullable(true);
            }
            o.addProperty(f.name(), v);
            required.add(f.name());
        }
        o.setRequired(required);
        return o;
    }

    private static Schema<?> write(TableSchema s) {
        ObjectSchema o = new ObjectSchema();
        List<String> required = new ArrayList<>();
        for (FieldDef f : s.writable()) {
            Schema<?> v = value(f);
            if (!f.required()) {
                v.setNullable(true);
            } else {
                required.add(f.name());
            }
            o.addProperty(f.name(), v);
        }
        o.setRequired(required);
        o.setAdditionalProperties(false);
        return o;
    }

    private static Schema<?> page(TableSchema s) {
        ObjectSchema o = new ObjectSchema();
        o.addProperty(s.name(), new ArraySchema().items(ref(rowName(s))));
        o.addProperty("total", new IntegerSchema().format("int64"));
        o.addProperty("page", new IntegerSchema());
        o.addProperty("page_size", new IntegerSchema());
        o.addProperty("total_pages", new IntegerSchema().format("int64"));
        o.addProperty("next_cursor", new StringSchema().nullable(true));
        ObjectSchema count = new ObjectSchema();
        count.addProperty("value", new StringSchema());
        count.addProperty("count", new IntegerSchema().format("int64"));
        o.addProperty(
                "facets",
                new ObjectSchema()
                        .additionalProperties(new ArraySchema().items(count))
                        .description("When asked"));
        o.setRequired(List.of(s.name(), "total", "page", "page_size", "total_pages", "next_cursor"));
        return o;
    }

    /** A field's value as the API writes it. */
    private static Schema<?> value(FieldDef f) {
        Schema<?> v = switch (f.type()) {
            case TEXT, KEYWORD -> {
                StringSchema str = new StringSchema();
                if (f.limits().maxLength() != null) {
                    str.maxLength(f.limits().maxLength());
                }
                if (!f.limits().allowed().isEmpty()) {
                    str._enum(f.limits().allowed());
                }
                yield str;
            }
            case KEYWORD_LIST -> {
                ArraySchema a = new ArraySchema().items(new StringSchema());
                if (f.limits().maxItems() != null) {
                    a.maxItems(f.limits().maxItems());
                }
                yield a;
            }
            default -> scalar(f);
        };
        if (f.system()) {
            v.readOnly(true);
        }
        return v;
    }

    private static Schema<?> scalar(FieldDef f) {
        Schema<?> v = switch (f.type()) {
            case INTEGER -> new IntegerSchema();
            case LONG -> new IntegerSchema().format("int64");
            case DECIMAL -> new NumberSchema().multipleOf(BigDecimal.ONE.movePointLeft(f.scale()));
            case DOUBLE -> new NumberSchema().format("double");
            case BOOLEAN -> new BooleanSchema();
            case TIMESTAMP -> new DateTimeSchema();
            default -> new StringSchema();
        };
        if (f.limits().min() != null) {
            v.setMinimum(f.limits().min());
        }
        if (f.limits().max() != null) {
            v.setMaximum(f.limits().max());
        }
        return v;
    }
}
