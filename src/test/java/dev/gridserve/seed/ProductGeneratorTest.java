package dev.gridserve.seed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.product.Product;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProductGeneratorTest {
    @Test
    void isDeterministicAndWithinTheDocumentedShape() {
        ProductGenerator a = new ProductGenerator(42);
        ProductGenerator b = new ProductGenerator(42);
        Set<String> skus = new HashSet<>();
        Set<String> categories = new HashSet<>();
        Set<String> brands = new HashSet<>();
        Set<String> tags = new HashSet<>();
        for (long id = 1; id <= 20_000; id++) {
            Product p = a.product(id, 1);
            assertThat(p).isEqualTo(b.product(id, 1));
            assertThat(skus.add(p.sku())).as(p.sku()).isTrue();
            assertThat(p.sku()).matches("[A-Z]{3}-\\d{4}-[A-Z]{3}");
            assertThat(p.priceCents()).isBetween(599L, 999_999L);
            assertThat(p.tags()).hasSizeBetween(2, 5);
            if (p.rating() != null) {
                assertThat(p.rating()).isBetween(0.0, 5.0);
            }
            categories.add(p.category());
            if (p.brand() != null) {
                brands.add(p.brand());
            }
            tags.addAll(p.tags());
        }
        assertThat(categories).hasSize(12);
        assertThat(brands).hasSize(15);
        assertThat(tags).hasSize(16);
        assertThat(new ProductGenerator(7).product(1, 1)).isNotEqualTo(a.product(1, 1));
    }
}
