package dev.gridserve.search;

import dev.gridserve.schema.FieldDef;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.util.BytesRef;

/** Maps a row to its index document, as the table's {@link IndexLayout} says. */
final class Documents {
    /** Terms only: no frequencies, positions or norms; matching is boolean and relevance is per term kind. */
    private static final FieldType TERMS_ONLY = new FieldType();

    static {
        TERMS_ONLY.setIndexOptions(IndexOptions.DOCS);
        TERMS_ONLY.setTokenized(true);
        TERMS_ONLY.setOmitNorms(true);
        TERMS_ONLY.freeze();
    }

    private final List<FieldDef> fields;
    private final JsonCodec json;

    Documents(IndexLayout layout, JsonCodec json) {
        this.fields = layout.schema().fields();
        this.json = json;
    }

    JsonCodec json() {
        return json;
    }

    Document toDocument(Row row) {
        Document d = new Document();
        d.add(new StringField(IndexLayout.ID, Long.toString(row.id()), Field.Store.NO));
        d.add(new NumericDocValuesField(IndexLayout.ID_DV, row.id()));
        d.add(new NumericDocValuesField(IndexLayout.VERSION, row.version()));
        // doc values, not stored fields: a page's rows are scattered over the index, and stored fields would
        // decompress a whole block for each of them
        d.add(new BinaryDocValuesField(IndexLayout.JSON, json.encode(row.json())));
        TermsTokenStream words = null;
        TermsTokenStream suffixes = null;
        TermsTokenStream grams = null;
        DistinctGrams distinctGrams = null;
        Set<String> chunks = null;
        for (FieldDef f : fields) {
            Object value = row.value(f.name());
            if (IndexLayout.numeric(f)) {
                // points too, also for sort-only fields: sorted collection skips by them
                long v = value == null ? IndexLayout.missing(f) : IndexLayout.encode(f, value);
                d.add(new LongPoint(f.name(), v));
                d.add(new NumericDocValuesField(f.name(), v));
            }
            if (f.sortable() && f.type().textual()) {
                // every document has the sort value (a missing one sorts as empty text), so a cursor after such
                // a row names the same position as the row
                List<String> v = value == null ? List.of() : values(value);
                String first = v.isEmpty() ? "" : Text.fold(v.get(0));
                d.add(new SortedDocValuesField(IndexLayout.sortText(f.name()), new BytesRef(first)));
            }
            if (value == null) {
                continue;
            }
            List<String> values = values(value);
            Set<String> keys = new HashSet<>();
            for (String s : values) {
                String key = Text.fold(s);
                // one facet value per key: a row holding "Fragile" and "fragile" counts once, as the filter
                // selects it once
                if (!keys.add(key)) {
                    continue;
                }
                if (IndexLayout.keyed(f)) {
                    d.add(new StringField(IndexLayout.key(f.name()), key, Field.Store.NO));
                }
                if (f.facet()) {
                    d.add(new SortedSetDocValuesField(IndexLayout.facet(f.name()), new BytesRef(s)));
                }
            }
            if (f.searchable() && f.type().textual()) {
                if (words == null) {
                    words = new TermsTokenStream();
                    suffixes = new TermsTokenStream();
                    grams = new TermsTokenStream();
                    distinctGrams = new DistinctGrams(grams);
                    chunks = new HashSet<>();
                }
                for (String s : values) {
                    for (String chunk : Text.chunks(Text.fold(s))) {
                        if (!chunks.add(chunk)) {
                            continue; // a repeated chunk adds no terms; its repeats only cost the writer time
                        }
                        Text.words(chunk, words);
                        Text.suffixes(chunk, suffixes);
                        Text.grams(chunk, distinctGrams);
                    }
                }
            }
        }
        if (words != null) {
            d.add(new Field(IndexLayout.WORD, words, TERMS_ONLY));
            d.add(new Field(IndexLayout.SUFFIX, suffixes, TERMS_ONLY));
            d.add(new Field(IndexLayout.GRAM, grams, TERMS_ONLY));
        }
        return d;
    }

    /** A field's values as text: one for a scalar, each item of a list. */
    private static List<String> values(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return List.of(String.valueOf(value));
    }
}
