package dev.gridserve.product;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CursorTest {
    @Test
    void roundTripsEverySortKind() {
        Cursor price = new Cursor(SortKey.PRICE, false, 7, 1999, null, 42);
        assertThat(Cursor.decode(price.encode())).usingRecursiveComparison().isEqualTo(price);
        Cursor name = new Cursor(SortKey.NAME, true, 2, 0, "café|x".getBytes(StandardCharsets.UTF_8), 9);
        Cursor back = Cursor.decode(name.encode());
        assertThat(new String(back.text(), StandardCharsets.UTF_8)).isEqualTo("café|x");
        assertThat(back.id()).isEqualTo(9);
        assertThat(back.encode()).doesNotContain("=", "+", "/");
    }

    @Test
    void rejectsAnythingElse() {
        for (String bad : new String[] {"", "abc", "MXxwcmljZXxhfDF8MXx8MQ", "!!!", "MnxwcmljZXxhfDJ8MXx8MQ"}) {
            assertThatThrownBy(() -> Cursor.decode(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
