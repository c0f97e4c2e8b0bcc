package dev.gridserve.tables;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gridserve.schema.FieldDef;
import dev.gridserve.schema.Schemas;
import dev.gridserve.schema.TableSchema;
import dev.gridserve.system.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Describes each table from its schema file: what a front end needs to build a grid for it. */
@RestController
@RequestMapping(value = "/api/v1/tables", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "tables")
class TablesController {
    record Tables(List<Table> tables) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Table(String name, String description, String rowName, String path, String id, List<Field> fields) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Field(
            String name,
            String type,
            Integer scale,
            boolean required,
            boolean readOnly,
            boolean searchable,
            boolean filterable,
            boolean sortable,
            boolean facet,
            boolean stats,
            boolean unique,
            boolean lowercase,
            Integer maxLength,
            BigDecimal min,
            BigDecimal max,
            List<String> allowed,
            Integer maxItems) {}

    private final Schemas schemas;

    TablesController(Schemas schemas) {
        this.schemas = schemas;
    }

    @GetMapping
    @Operation(summary = "Every table served, with its fields and what each can do")
    Tables all() {
        return new Tables(schemas.all().stream().map(TablesController::table).toList());
    }

    @GetMapping("/{name}")
    @Operation(summary = "One table, with its fields and what each can do")
    Table one(@PathVariable String name) {
        return schemas.table(name)
                .map(TablesController::table)
                .orElseThrow(() -> ApiException.notFound(
                        "There is no table named '" + name + "'; GET /api/v1/tables lists them."));
    }

    private static Table table(TableSchema s) {
        return new Table(
                s.name(),
                s.description(),
                s.rowName(),
                "/api/v1/" + s.name(),
                "_id",
                s.fields().stream().map(TablesController::field).toList());
    }

    private static Field field(FieldDef f) {
        return new Field(
                f.name(),
                f.type().wire(),
                f.type() == dev.gridserve.schema.FieldType.DECIMAL ? f.scale() : null,
                f.required(),
                f.system(),
                f.searchable(),
                f.filterable(),
                f.sortable(),
                f.facet(),
                f.stats(),
                f.unique(),
                f.lowercase(),
                f.limits().maxLength(),
                f.limits().min(),
                f.limits().max(),
                f.limits().allowed().isEmpty() ? null : f.limits().allowed(),
                f.limits().maxItems());
    }
}
