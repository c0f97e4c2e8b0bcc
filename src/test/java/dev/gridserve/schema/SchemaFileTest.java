package dev.gridserve.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gridserve.support.ProductFields;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Schema files: what is accepted, and that every mistake is named, all at once, before anything is built. */
class SchemaFileTest {
    static String table(String fields) {
        return "table: orders\nfields:\n" + fields;
    }

    static SchemaException refused(String yaml) {
        try {
            SchemaFile.parse("orders.yaml", yaml);
        } catch (SchemaException e) {
            return e;
        }
        throw new AssertionError("accepted: " + yaml);
    }

    @Test
    void theBuiltInProductsSchema() {
        TableSchema p = new Schemas().table("products").orElseThrow();
        assertThat(p.fields().stream().map(FieldDef::name)).containsExactlyElementsOf(ProductFields.FIELDS);
        assertThat(p.fields().stream().filter(FieldDef::sortable).map(FieldDef::name))
                .containsExactly("name", "price", "stock", "rating", "reviews_count", "created_at", "updated_at");
        assertThat(p.fields().stream().filter(FieldDef::facet).map(FieldDef::name))
                .containsExactly("category", "brand", "tags");
        FieldDef price = p.field("price").orElseThrow();
        assertThat(price.type()).isEqualTo(FieldType.DECIMAL);
        assertThat(price.scale()).isEqualTo(2);
        assertThat(price.limits().max()).isEqualByComparingTo(new BigDecimal("1000000"));
        assertThat(p.field("sku").orElseThrow().unique()).isTrue();
        assertThat(p.field("created_at").orElseThrow().system()).isTrue();
        assertThat(p.writable()).hasSize(10);
    }

    @Test
    void theSystemTimestampsAreThereEvenWhenNotDeclared() {
        TableSchema s = SchemaFile.parse("orders.yaml", table("  customer: {type: text}\n"));
        assertThat(s.fields().stream().map(FieldDef::name)).containsExactly("customer", "created_at", "updated_at");
        assertThat(s.field("created_at").orElseThrow().system()).isTrue();
        assertThat(s.field("customer").orElseThrow().limits().maxLength()).isEqualTo(1000);
    }

    @Test
    void theChecksumMovesWithAnythingThatShapesStorageOrTheIndex() {
        String base = table("  total: {type: decimal, scale: 2, max: 100}\n");
        String same = SchemaFile.parse("a", base).checksum();
        assertThat(SchemaFile.parse("b", base).checksum()).isEqualTo(same);
        for (String other : new String[] {
            table("  total: {type: decimal, scale: 3, max: 100}\n"),
            table("  total: {type: decimal, scale: 2, max: 101}\n"),
            table("  total: {type: decimal, scale: 2, max: 100, sortable: true}\n"),
            table("  total: {type: decimal, scale: 2, max: 100, required: true}\n"),
            table("  total: {type: decimal, scale: 2, max: 100}\n  extra: {type: boolean}\n"),
        }) {
            assertThat(SchemaFile.parse("c", other).checksum()).as(other).isNotEqualTo(same);
        }
    }

    @Test
    void everyMistakeIsNamedWithItsField() {
        String[][] cases = {
            {"table: Orders\nfields:\n  a: {type: text}\n", "the table name 'Orders' must start with a lower-case"},
            {"table: tables\nfields:\n  a: {type: text}\n", "the table name 'tables' is reserved"},
            {"table: orders\n", "'fields' must map each field's name to its settings"},
            {"table: orders\ncolumns: []\nfields:\n  a: {type: text}\n", "'columns' is not a schema setting"},
            {"table: orders\nrow_name: Order!\nfields:\n  a: {type: text}\n", "'row_name' is what messages call"},
            {table("  a: {type: string}\n"), "field 'a': 'type' must be one of text, keyword, keyword_list"},
            {table("  a: {type: text, sortabel: true}\n"), "field 'a': 'sortabel' is not a field setting"},
            {table("  a: {type: text, required: yes please}\n"), "field 'a': 'required' must be true or false"},
            {table("  page: {type: integer}\n"), "field 'page': the name is reserved"},
            {table("  select: {type: integer}\n"), "field 'select': the name is reserved"},
            {table("  min_total: {type: integer}\n"), "field 'min_total': names may not start with min_ or max_"},
            {table("  Total: {type: integer}\n"), "field 'Total': a name must start with a lower-case letter"},
            {table("  a: {type: integer, searchable: true}\n"), "field 'a': only text, keyword and keyword_list"},
            {table("  a: {type: text, filterable: true}\n"), "field 'a': a text field cannot be filterable"},
            {table("  a: {type: keyword_list, sortable: true}\n"), "field 'a': a keyword_list cannot be sortable"},
            {table("  a: {type: integer, facet: true}\n"), "field 'a': only keyword, keyword_list and boolean"},
            {table("  a: {type: keyword, stats: true}\n"), "field 'a': only integer, long, decimal and double"},
            {table("  a: {type: integer, unique: true, required: true}\n"), "field 'a': only text and keyword"},
            {table("  a: {type: keyword, unique: true}\n"), "field 'a': a unique field must also be required"},
            {table("  a: {type: decimal}\n"), "field 'a': a decimal needs 'scale'"},
            {table("  a: {type: decimal, scale: 7}\n"), "field 'a': a decimal needs 'scale'"},
            {table("  a: {type: integer, scale: 2}\n"), "field 'a': 'scale' applies only to decimal fields"},
            {table("  a: {type: text, max_length: 0}\n"), "field 'a': 'max_length' must be a whole number from 1"},
            {table("  a: {type: text, max_length: 10001}\n"), "field 'a': 'max_length' must be a whole number"},
            {table("  a: {type: integer, max_length: 5}\n"), "field 'a': 'max_length' applies only to text"},
            {table("  a: {type: keyword, max_items: 5}\n"), "field 'a': 'max_items' applies only to keyword_list"},
            {table("  a: {type: integer, min: 5, max: 1}\n"), "field 'a': 'min' (5) is above 'max' (1)"},
            {table("  a: {type: integer, max: 1.5}\n"), "field 'a': 'max' must be a whole number"},
            {table("  a: {type: integer, max: 3000000000}\n"), "field 'a': 'max' is beyond what a integer holds"},
            {table("  a: {type: decimal, scale: 1, max: 1.25}\n"), "field 'a': 'max' has more decimal places"},
            {table("  a: {type: text, min: 1}\n"), "field 'a': 'min' applies only to integer, long, decimal"},
            {table("  a: {type: integer, allowed: [x]}\n"), "field 'a': 'allowed' applies only to keyword"},
            {table("  a: {type: keyword, allowed: [x, x]}\n"), "field 'a': 'allowed' lists 'x' twice"},
            {table("  a: {type: keyword, max_length: 2, allowed: [abc]}\n"), "the allowed value 'abc' is longer"},
            {table("  a: {type: text, lowercase: true}\n"), "field 'a': 'lowercase' applies only to keyword"},
            {
                table("  a: {type: keyword, lowercase: true, allowed: [New]}\n"),
                "field 'a': the allowed value 'New' is not in lower case"
            },
            {table("  created_at: {type: text}\n"), "field 'created_at': every table keeps created_at itself"},
            {table("  updated_at: {type: timestamp, required: true}\n"), "the service sets updated_at itself"},
            {
                table("  code: {type: keyword, required: true, unique: true}\n  code_key: {type: keyword}\n"),
                "field 'code_key': the name is taken by the case-insensitive key of the unique field 'code'"
            },
            {
                table("  a: {type: text}\n  a: {type: text}\n"),
                "it is not valid YAML at line 4: Duplicate Object property \"a\""
            },
            {"table: [", "it is not valid YAML"},
        };
        for (String[] c : cases) {
            assertThat(refused(c[0]).getMessage())
                    .as(c[0])
                    .contains("orders.yaml")
                    .contains(c[1]);
        }
    }

    @Test
    void allProblemsAreReportedAtOnce() {
        SchemaException e =
                refused(table("  a: {type: string}\n  b: {type: text, facet: true}\n  page: {type: text}\n"));
        assertThat(e.problems()).hasSize(3);
    }

    @Test
    void twoFilesForOneTableAreRefused() {
        TableSchema a = SchemaFile.parse("a.yaml", table("  x: {type: text}\n"));
        TableSchema b = SchemaFile.parse("b.yaml", table("  y: {type: text}\n"));
        assertThatThrownBy(() -> new Schemas(java.util.List.of(a, b)))
                .isInstanceOf(SchemaException.class)
                .hasMessageContaining("the table 'orders' is already defined by a.yaml");
    }
}
