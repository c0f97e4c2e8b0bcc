package dev.gridserve.search;

import dev.gridserve.product.SortKey;

/** Every index field, declared once: what filters, sorts, facets and stats read. */
final class Fields {
    static final String ID = "id"; // StringField: the update/delete key
    static final String ID_DV = "id_dv"; // tie-breaker of every sort
    static final String VERSION = "version";
    static final String JSON = "json"; // wire JSON, as binary doc values
    static final String PRICE = "price"; // cents: LongPoint + doc values
    static final String STOCK = "stock";
    static final String CREATED = "created_at";
    static final String UPDATED = "updated_at";
    static final String RATING = "rating"; // DoublePoint, only when present
    static final String RATING_SORT = "rating_s"; // sortable long, missing = -1
    static final String REVIEWS = "reviews_count"; // LongPoint, only when present
    static final String REVIEWS_SORT = "reviews_s"; // missing = -1
    static final String NAME_SORT = "name_s"; // folded name
    static final String CATEGORY = "category"; // folded key, for filtering
    static final String BRAND = "brand";
    static final String TAG = "tag";
    static final String CATEGORY_FACET = "category_f"; // display value, for facets and stats
    static final String BRAND_FACET = "brand_f";
    static final String TAG_FACET = "tag_f";
    static final String WORD = "word"; // whole words, for relevance
    static final String SUFFIX = "sfx"; // chunk suffixes, for substring matching
    static final String GRAM = "gram"; // 1- and 2-char substrings, for short terms

    private Fields() {}

    /** The doc-values field each sort key reads. */
    static String sortField(SortKey key) {
        return switch (key) {
            case NAME -> NAME_SORT;
            case PRICE -> PRICE;
            case CREATED_AT -> CREATED;
            case UPDATED_AT -> UPDATED;
            case RATING -> RATING_SORT;
            case STOCK -> STOCK;
            case REVIEWS_COUNT -> REVIEWS_SORT;
            case RELEVANCE -> throw new IllegalArgumentException("relevance is the score, not a field");
        };
    }

    static String facetField(String facet) {
        return switch (facet) {
            case "category" -> CATEGORY_FACET;
            case "brand" -> BRAND_FACET;
            case "tags" -> TAG_FACET;
            default -> throw new IllegalArgumentException(facet);
        };
    }
}
