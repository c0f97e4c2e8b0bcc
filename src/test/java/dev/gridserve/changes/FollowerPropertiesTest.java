package dev.gridserve.changes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gridserve.support.Apps;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A setting that would crash or spin later stops the start at once, naming itself. */
class FollowerPropertiesTest {
    @Test
    void unsetDurationsTakeTheirDefaults() {
        FollowerProperties p = new FollowerProperties(null, null, null, null, null, null);
        assertThat(p.pollInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(p.reconcileInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(p.retention()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void zeroOrNegativeDurationsAreRejectedWithTheirNames() {
        assertThatThrownBy(() -> new FollowerProperties(Duration.ZERO, null, null, null, null, null))
                .hasMessageContaining("CHANGE_POLL_INTERVAL (gridserve.changes.poll-interval)")
                .hasMessageContaining("longer than zero");
        assertThatThrownBy(() -> new FollowerProperties(null, null, null, Duration.ofSeconds(-1), null, null))
                .hasMessageContaining("RECONCILE_INTERVAL");
        assertThatThrownBy(() -> new FollowerProperties(null, null, null, null, null, Duration.ZERO))
                .hasMessageContaining("CHANGE_PRUNE_INTERVAL");
    }

    @Test
    void theApplicationDoesNotStartWithOne() throws Exception {
        assertThatThrownBy(() -> Apps.start(
                        "gridserve.data.dir=" + Files.createTempDirectory("gridserve-bad-"),
                        "gridserve.data.seed-on-empty=0",
                        "gridserve.changes.reconcile-interval=0s"))
                .hasStackTraceContaining("RECONCILE_INTERVAL (gridserve.changes.reconcile-interval) must be a"
                        + " duration longer than zero");
    }
}
