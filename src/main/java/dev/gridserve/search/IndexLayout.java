package dev.gridserve.search;

import dev.gridserve.schema.FieldDef;
import dev.gridserve.schema.FieldType;
import dev.gridserve.schema.TableSchema;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.search.SortField;
import org.apache.lucene.util.NumericUtils;

/**
 * Which Lucene fields a table's schema becomes, declared once: what documents hold and what filters, sorts,
 * facets and stats read. A numeric field (numbers, timestamps, sortable booleans) is a LongPoint plus doc values
 * under its own name, in one long encoding per type; a keyword filter reads {@code k:name} (folded keys), a facet
 * {@code f:name} (values as written), a text sort {@code s:name} (folded). Names starting with {@code _} are the
 * engine's own; schema field names never do.
 */
public final class IndexLayout {
    /** Bump when documents change shape for every table: an index of another format is rebuilt at start. */
    static final String FORMAT = "5";

    static final String ID = "_id"; // StringField: the update/delete key
    static final String ID_DV = "_id_dv"; // tie-breaker of every sort
    static final String VERSION = "_version";
    static final String JSON = "_json"; // wire JSON, as binary doc values (see JsonCodec)
    static final String WORD = "_word"; // whole words, for relevance
    static final String SUFFIX = "_sfx"; // chunk suffixes, for substring matching
    static final String GRAM = "_gram"; // 1- and 2-char substrings, for short terms
    /** The index order (newest first) and so the default sort: every table keeps created_at. */
    static final String CREATED = "created_at";
    /** The sort name of the search score. */
    public static final String RELEVANCE = "relevance";

    /**
     * What a numeric field holds for a row without a value: below every real value, so it sorts first ascending
     * and last descending, and outside every range filter. Every document has every numeric field, which lets
     * histograms count ranks without a second pass for documents that lack it. A field that cannot be negative
     * uses -1 (just below its values, so its histograms stay fine-grained, and cursors issued before the engine
     * was generic stay valid); any other the smallest long.
     */
    static long missing(FieldDef f) {
        BigDecimal min = f.limits().min();
        return min != null && min.signum() >= 0 && f.type() != FieldType.TIMESTAMP ? -1 : Long.MIN_VALUE;
    }

    /** {@link #missing} of the named field. */
    long missing(String field) {
        return missing(require(field));
    }

    private final TableSchema schema;
    private final Map<String, FieldDef> fields = new LinkedHashMap<>();
    private final String fingerprint;

    public IndexLayout(TableSchema schema) {
        this.schema = schema;
        schema.fields().forEach(f -> fields.put(f.name(), f));
        if (!fields.containsKey(CREATED) || fields.get(CREATED).type() != FieldType.TIMESTAMP) {
            throw new IllegalArgumentException("Table " + schema.name() + " has no created_at timestamp");
        }
        this.fingerprint = fingerprint(schema);
    }

    public TableSchema schema() {
        return schema;
    }

    public String table() {
        return schema.name();
    }

    /**
     * What the index holds for this schema, as a short text: the engine's format and every field's index-relevant
     * properties (limits and descriptions are not). A different fingerprint on disk means a rebuild.
     */
    public String fingerprint() {
        return fingerprint;
    }

    private static String fingerprint(TableSchema schema) {
        StringBuilder sb = new StringBuilder(FORMAT);
        for (FieldDef f : schema.fields()) {
            sb.append('|')
                    .append(f.name())
                    .append(':')
                    .append(f.type().wire())
                    .append(':')
                    .append(f.scale());
            sb.append(f.searchable() ? 's' : '-').append(f.filterable() ? 'f' : '-');
            sb.append(f.sortable() ? 'o' : '-').append(f.facet() ? 'a' : '-').append(f.stats() ? 't' : '-');
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return FORMAT + "-" + HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Optional<FieldDef> field(String name) {
        return Optional.ofNullable(fields.get(name));
    }

    FieldDef require(String name) {
        FieldDef f = fields.get(name);
        if (f == null) {
            throw new IllegalArgumentException("Table " + schema.name() + " has no field " + name);
        }
        return f;
    }

    /** Whether the field is held as a long (points and doc values) under its own name. */
    static boolean numeric(FieldDef f) {
        if (f.name().equals(CREATED)) {
            return true;
        }
        return switch (f.type()) {
            case INTEGER, LONG, DECIMAL, DOUBLE, TIMESTAMP -> f.filterable() || f.sortable() || f.stats();
            case BOOLEAN -> f.sortable();
            default -> false;
        };
    }

    /** Whether the field filters by any-of folded keys. */
    static boolean keyed(FieldDef f) {
        return f.filterable() && f.type().discrete();
    }

    /** Whether a sort on the field compares folded text. */
    public boolean textSort(String field) {
        return !field.equals(RELEVANCE) && require(field).type().textual();
    }

    static String key(String field) {
        return "k:" + field;
    }

    static String facet(String field) {
        return "f:" + field;
    }

    static String sortText(String field) {
        return "s:" + field;
    }

    /** The doc-values field a sort on {@code field} reads. */
    String sortValues(String field) {
        return textSort(field) ? sortText(field) : field;
    }

    SortField sortField(String field, boolean descending) {
        if (field.equals(RELEVANCE)) {
            // Lucene's score sort is best-first when not reversed.
            return new SortField(null, SortField.Type.SCORE, !descending);
        }
        return textSort(field)
                ? new SortField(sortText(field), SortField.Type.STRING, descending)
                : new SortField(field, SortField.Type.LONG, descending);
    }

    /** The long a numeric field holds for {@code value} (never null here). */
    static long encode(FieldDef f, Object value) {
        return switch (f.type()) {
            case INTEGER, LONG -> ((Number) value).longValue();
            case DECIMAL ->
                ((BigDecimal) value)
                        .setScale(f.scale(), RoundingMode.HALF_UP)
                        .unscaledValue()
                        .longValueExact();
            case DOUBLE -> NumericUtils.doubleToSortableLong(((Number) value).doubleValue() + 0.0); // -0.0 is 0.0
            case TIMESTAMP -> ((Instant) value).toEpochMilli();
            case BOOLEAN -> ((Boolean) value) ? 1 : 0;
            default -> throw new IllegalArgumentException(f.name() + " is not numeric");
        };
    }

    /** The number a held long stands for (doubles decoded, decimals scaled), for sums and averages. */
    static double decode(FieldDef f, long held) {
        return switch (f.type()) {
            case DOUBLE -> NumericUtils.sortableLongToDouble(held);
            case DECIMAL -> held / Math.pow(10, f.scale());
            default -> held;
        };
    }
}
