package dev.gridserve.search;

import dev.gridserve.product.Product;
import dev.gridserve.product.ProductJson;
import java.nio.charset.StandardCharsets;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.NumericUtils;

/** Maps a product to its index document. */
final class ProductDocuments {
    /** Terms only: no frequencies, positions or norms; matching is boolean and relevance is per term kind. */
    private static final FieldType TERMS_ONLY = new FieldType();

    static {
        TERMS_ONLY.setIndexOptions(IndexOptions.DOCS);
        TERMS_ONLY.setTokenized(true);
        TERMS_ONLY.setOmitNorms(true);
        TERMS_ONLY.freeze();
    }

    static final long MISSING = -1;

    private ProductDocuments() {}

    static Document toDocument(Product p) {
        Document d = new Document();
        d.add(new StringField(Fields.ID, Long.toString(p.id()), Field.Store.NO));
        d.add(new NumericDocValuesField(Fields.ID_DV, p.id()));
        d.add(new NumericDocValuesField(Fields.VERSION, p.version()));
        // doc values, not stored fields: a page's rows are scattered over the index, and stored fields would
        // decompress a whole block for each of them
        d.add(new BinaryDocValuesField(
                Fields.JSON, new BytesRef(ProductJson.write(p).getBytes(StandardCharsets.UTF_8))));
        longField(d, Fields.PRICE, p.priceCents());
        longField(d, Fields.STOCK, p.stock());
        longField(d, Fields.CREATED, p.createdAt().toEpochMilli());
        longField(d, Fields.UPDATED, p.updatedAt().toEpochMilli());
        if (p.rating() != null) {
            d.add(new DoublePoint(Fields.RATING, p.rating()));
        }
        // sort fields carry points too (missing = -1, below every real value) so sorted collection can skip
        longField(d, Fields.RATING_SORT, p.rating() == null ? MISSING : NumericUtils.doubleToSortableLong(p.rating()));
        if (p.reviewsCount() != null) {
            d.add(new LongPoint(Fields.REVIEWS, p.reviewsCount()));
        }
        longField(d, Fields.REVIEWS_SORT, p.reviewsCount() == null ? MISSING : p.reviewsCount());
        d.add(new SortedDocValuesField(Fields.NAME_SORT, new BytesRef(Text.fold(p.name()))));
        keyword(d, Fields.CATEGORY, Fields.CATEGORY_FACET, p.category());
        if (p.brand() != null) {
            keyword(d, Fields.BRAND, Fields.BRAND_FACET, p.brand());
        }
        for (String tag : p.tags()) {
            keyword(d, Fields.TAG, Fields.TAG_FACET, tag);
        }
        TermsTokenStream words = new TermsTokenStream();
        TermsTokenStream suffixes = new TermsTokenStream();
        TermsTokenStream grams = new TermsTokenStream();
        for (String text : new String[] {p.name(), p.description(), p.sku()}) {
            for (String chunk : Text.chunks(Text.fold(text))) {
                Text.words(chunk, words);
                Text.suffixes(chunk, suffixes);
                Text.grams(chunk, grams);
            }
        }
        d.add(new Field(Fields.WORD, words, TERMS_ONLY));
        d.add(new Field(Fields.SUFFIX, suffixes, TERMS_ONLY));
        d.add(new Field(Fields.GRAM, grams, TERMS_ONLY));
        return d;
    }

    private static void longField(Document d, String name, long value) {
        d.add(new LongPoint(name, value));
        d.add(new NumericDocValuesField(name, value));
    }

    private static void keyword(Document d, String keyField, String facetField, String value) {
        d.add(new StringField(keyField, Text.fold(value), Field.Store.NO));
        d.add(new SortedSetDocValuesField(facetField, new BytesRef(value)));
    }
}
