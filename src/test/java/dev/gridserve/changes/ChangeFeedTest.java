package dev.gridserve.changes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.changes.ChangeLog.Change;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The feed releases applied changes in log order once nothing before them is missing, holds at most its
 * capacity whatever readers do, and tells a reader further behind than that to resync. The oracle is the
 * set of numbers applied, released as the test's own safe point moves.
 */
class ChangeFeedTest {
    private static final Duration NO_WAIT = Duration.ZERO;

    private static VersionPublisher.Version version(long highSeen, long safe) {
        return new VersionPublisher.Version(highSeen, safe, Set.of());
    }

    private static List<Long> seqs(ChangeFeed.Batch b) {
        return b.events().stream().map(ChangeFeed.Event::seq).toList();
    }

    @Test
    void releasesInLogOrderOnlyBelowTheSafePoint() throws InterruptedException {
        ChangeFeed feed = new ChangeFeed(null, 1000);
        feed.advance(version(0, 0));
        Random random = new Random(7);
        List<Long> numbers = new ArrayList<>();
        for (long s = 1; s <= 300; s++) {
            if (random.nextInt(10) > 0) { // some numbers never commit
                numbers.add(s);
            }
        }
        List<Long> order = new ArrayList<>(numbers);
        Collections.shuffle(order, random);
        TreeSet<Long> applied = new TreeSet<>();
        long reader = 0;
        List<Long> got = new ArrayList<>();
        for (int i = 0; i < order.size(); i += 7) {
            List<Change> batch = new ArrayList<>();
            for (long s : order.subList(i, Math.min(order.size(), i + 7))) {
                batch.add(new Change(s, s * 10, 0, ChangeLog.UPSERT));
                applied.add(s);
            }
            feed.applied(batch);
            // the safe point: everything up to it that will ever commit is applied
            long safe = 0;
            while (safe < 300 && (!numbers.contains(safe + 1) || applied.contains(safe + 1))) {
                safe++;
            }
            feed.advance(version(applied.last(), safe));
            ChangeFeed.Batch b = feed.after(reader, 10_000, 0, NO_WAIT);
            assertThat(b.behind()).isFalse();
            got.addAll(seqs(b));
            reader = b.released();
            long s = safe;
            assertThat(got).isEqualTo(numbers.stream().filter(n -> n <= s).toList());
            b.events().forEach(e -> assertThat(e.rowId()).isEqualTo(e.seq() * 10));
        }
        assertThat(got).isEqualTo(numbers);
    }

    @Test
    void holdsAtMostItsCapacityAndSendsALaggardToResync() throws InterruptedException {
        ChangeFeed feed = new ChangeFeed(null, 16);
        feed.advance(version(0, 0));
        for (long s = 1; s <= 1000; s++) {
            feed.applied(List.of(new Change(s, s, 0, ChangeLog.UPSERT)));
            feed.advance(version(s, s));
            assertThat(feed.held()).isLessThanOrEqualTo(16);
        }
        ChangeFeed.Batch late = feed.after(10, 10_000, 0, NO_WAIT);
        assertThat(late.behind()).isTrue();
        assertThat(late.released()).isEqualTo(1000);
        assertThat(seqs(feed.after(990, 10_000, 0, NO_WAIT)))
                .containsExactly(991L, 992L, 993L, 994L, 995L, 996L, 997L, 998L, 999L, 1000L);
        ChangeFeed.Batch limited = feed.after(990, 4, 0, NO_WAIT);
        assertThat(seqs(limited)).containsExactly(991L, 992L, 993L, 994L);
        assertThat(limited.released()).as("a reader limited to 4 is at the 4th").isEqualTo(994);
        assertThat(feed.after(1000, 10, 0, NO_WAIT).events()).isEmpty();
    }

    @Test
    void changesHeldBackByAnOpenNumberAreLetGoPastTheCapacityAndReplayedNotSkipped() throws InterruptedException {
        ChangeFeed feed = new ChangeFeed(null, 16);
        feed.advance(version(0, 0));
        for (long s = 2; s <= 100; s++) { // number 1 belongs to a transaction still open
            feed.applied(List.of(new Change(s, s, 0, ChangeLog.UPSERT)));
            feed.advance(version(s, 0));
            assertThat(feed.pending()).isLessThanOrEqualTo(16);
        }
        feed.applied(List.of(new Change(1, 1, 0, ChangeLog.UPSERT)));
        feed.advance(version(100, 100));
        ChangeFeed.Batch b = feed.after(0, 10_000, 0, NO_WAIT);
        assertThat(b.behind()).as("what was let go is not silently missing").isTrue();
        assertThat(seqs(feed.after(99, 10, 0, NO_WAIT))).containsExactly(100L);
    }
}
