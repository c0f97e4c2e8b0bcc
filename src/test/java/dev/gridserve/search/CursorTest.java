package dev.gridserve.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class CursorTest {
    @Test
    void roundTripsEverySortKind() {
        Cursor price = new Cursor(List.of(new Cursor.Key("price", false, 1999, null)), 7, 42);
        assertThat(Cursor.decode(price.encode())).usingRecursiveComparison().isEqualTo(price);
        Cursor name =
                new Cursor(List.of(new Cursor.Key("name", true, 0, "café|x".getBytes(StandardCharsets.UTF_8))), 2, 9);
        Cursor back = Cursor.decode(name.encode());
        assertThat(new String(back.keys().getFirst().text(), StandardCharsets.UTF_8))
                .isEqualTo("café|x");
        assertThat(back.id()).isEqualTo(9);
        assertThat(back.encode()).doesNotContain("=", "+", "/");
        Cursor multi = new Cursor(
                List.of(
                        new Cursor.Key("price", false, 1999, null),
                        new Cursor.Key("name", true, 0, "a,b:c".getBytes(StandardCharsets.UTF_8))),
                3,
                5);
        assertThat(Cursor.decode(multi.encode())).usingRecursiveComparison().isEqualTo(multi);
    }

    @Test
    void readsCursorsHandedOutBeforeTheEngineWasGeneric() {
        // what the products-only engine wrote for page 7 of sort_by=price&sort_order=asc after id 42
        String old = Base64.getUrlEncoder().withoutPadding().encodeToString("1|price|a|7|1999||42".getBytes());
        Cursor c = Cursor.decode(old);
        assertThat(c.sort()).containsExactly(new Order("price", false));
        assertThat(c.keys().getFirst().numeric()).isEqualTo(1999);
        assertThat(c.page()).isEqualTo(7);
        assertThat(c.id()).isEqualTo(42);
        assertThat(c.encode()).isEqualTo(old);
    }

    @Test
    void rejectsAnythingElse() {
        for (String bad : new String[] {"", "abc", "MXxwcmljZXxhfDF8MXx8MQ", "!!!", "MnxwcmljZXxhfDJ8MXx8MQ"}) {
            assertThatThrownBy(() -> Cursor.decode(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
