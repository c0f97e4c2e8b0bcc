package dev.gridserve.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** How many threads run index work: one per core unless set, and a setting out of range stops the start. */
class QueryPropertiesTest {
    @Test
    void unsetThreadsAreOnePerCore() {
        assertThat(new QueryProperties(0, 0, 0, null, 0).threads())
                .isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(new QueryProperties(0, 0, 0, null, 3).threads()).isEqualTo(3);
    }

    @Test
    void threadsOutOfRangeAreRejectedWithTheirName() {
        assertThatThrownBy(() -> new QueryProperties(0, 0, 0, null, -1))
                .hasMessageContaining("QUERY_THREADS (gridserve.query.threads)");
        assertThatThrownBy(() -> new QueryProperties(0, 0, 0, null, 5000)).hasMessageContaining("QUERY_THREADS");
    }
}
