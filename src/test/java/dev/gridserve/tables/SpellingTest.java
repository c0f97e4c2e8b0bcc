package dev.gridserve.tables;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpellingTest {
    static final List<String> KNOWN = List.of("min_price", "max_price", "min_stock", "sort_by", "page", "tags");

    @Test
    void typosFindTheirNameAndStrangersFindNone() {
        assertThat(Spelling.nearest("min_prce", KNOWN)).isEqualTo("min_price");
        assertThat(Spelling.nearest("mni_price", KNOWN))
                .as("swapped letters are one edit")
                .isEqualTo("min_price");
        assertThat(Spelling.nearest("sortby", KNOWN)).isEqualTo("sort_by");
        assertThat(Spelling.nearest("tag", KNOWN)).isEqualTo("tags");
        assertThat(Spelling.nearest("utm_source", KNOWN)).isNull();
        assertThat(Spelling.nearest("x", KNOWN)).as("too short to guess").isNull();
        assertThat(Spelling.nearest("p".repeat(100), KNOWN)).isNull();
    }

    @Test
    void distanceCountsEdits() {
        assertThat(Spelling.distance("", "abc")).isEqualTo(3);
        assertThat(Spelling.distance("abc", "abc")).isZero();
        assertThat(Spelling.distance("abc", "acb")).isEqualTo(1);
        assertThat(Spelling.distance("kitten", "sitting")).isEqualTo(3);
    }
}
