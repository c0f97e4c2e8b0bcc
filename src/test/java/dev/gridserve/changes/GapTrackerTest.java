package dev.gridserve.changes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GapTrackerTest {
    @Test
    void inOrderNumbersLeaveNoHoles() {
        GapTracker t = new GapTracker(10);
        t.saw(List.of(11L, 12L, 13L), 0);
        assertThat(t.settled()).isTrue();
        assertThat(t.safe()).isEqualTo(13);
        assertThat(t.applied(12)).isTrue();
        assertThat(t.applied(14)).isFalse();
    }

    @Test
    void aHoleStaysOpenWhileItsBlockerRunsHoweverLongAndCloseswhenFilled() {
        GapTracker t = new GapTracker(0);
        t.saw(List.of(1L, 3L), 0);
        assertThat(t.holes()).containsExactly(2L);
        assertThat(t.safe()).isEqualTo(1);
        assertThat(t.applied(3)).isTrue();
        assertThat(t.applied(2)).isFalse();
        assertThat(t.needsHorizon()).isTrue();
        t.horizon(Set.of(77L));
        assertThat(t.needsHorizon()).isFalse();
        for (int poll = 0; poll < 1000; poll++) { // no timer gives it up
            t.stillRunning(Set.of(77L));
            t.filled(List.of());
            assertThat(t.dropAbandoned()).isEmpty();
        }
        t.filled(List.of(2L));
        assertThat(t.settled()).isTrue();
        assertThat(t.safe()).isEqualTo(3);
    }

    @Test
    void aHoleWhoseBlockersFinishedIsDroppedOnlyAfterOneMoreRead() {
        GapTracker t = new GapTracker(0);
        t.saw(List.of(1L, 3L), 0);
        t.horizon(Set.of(5L, 6L));
        t.stillRunning(Set.of(6L));
        t.filled(List.of());
        assertThat(t.dropAbandoned()).isEmpty();
        t.stillRunning(Set.of()); // both finished: the next read decides
        t.filled(List.of());
        assertThat(t.dropAbandoned()).containsExactly(2L);
        assertThat(t.settled()).isTrue();
    }

    @Test
    void aBlockerThatCommittedBeforeTheReadFillsTheHoleInsteadOfLosingIt() {
        GapTracker t = new GapTracker(0);
        t.saw(List.of(1L, 3L), 0);
        t.horizon(Set.of(5L));
        t.stillRunning(Set.of()); // finished (it committed)...
        t.filled(List.of(2L)); // ...so the read after the check sees its number
        assertThat(t.dropAbandoned()).isEmpty();
        assertThat(t.applied(2)).isTrue();
    }

    @Test
    void aHoleFoundWhenNothingRunsIsGoneAfterTheNextCheckAndRead() {
        GapTracker t = new GapTracker(0);
        t.saw(List.of(2L), 0);
        t.horizon(Set.of());
        t.stillRunning(Set.of());
        t.filled(List.of());
        assertThat(t.dropAbandoned()).containsExactly(1L);
    }

    @Test
    void newHolesGetTheHorizonOfTheirOwnReadOnly() {
        GapTracker t = new GapTracker(0);
        t.saw(List.of(2L), 0);
        t.horizon(Set.of(1L));
        t.saw(List.of(4L), 0);
        t.horizon(Set.of(9L));
        t.stillRunning(Set.of(9L)); // hole 1's blocker finished, hole 3's runs
        t.filled(List.of());
        assertThat(t.dropAbandoned()).containsExactly(1L);
        assertThat(t.holes()).containsExactly(3L);
    }

    @Test
    void aHugeJumpIsNotTrackedNumberByNumber() {
        GapTracker t = new GapTracker(0);
        t.saw(List.of(1L, 1L + GapTracker.MAX_HOLE_RUN + 2), 0);
        assertThat(t.settled()).isTrue();
        assertThat(t.highSeen()).isEqualTo(GapTracker.MAX_HOLE_RUN + 3);
    }

    /**
     * Writers and a follower interleaved at random, statement by statement. Writers take a transaction id, then
     * a number, then commit or roll back; the follower checks blockers, reads, then takes the horizon, as
     * ChangeFollower does. Whatever the order: no number is dropped that later commits, and once every writer
     * is done, what the follower applied is exactly what committed.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void theFollowerProtocolNeverLosesACommitInAnyInterleaving(long seed) {
        Random r = new Random(seed);
        Map<Long, Long> running = new HashMap<>(); // xid -> number it holds (null until taken)
        Set<Long> committed = new TreeSet<>();
        Set<Long> dropped = new HashSet<>();
        Set<Long> applied = new HashSet<>();
        long[] next = {1, 1}; // next xid, next number
        GapTracker t = new GapTracker(0);
        int phase = 0; // 0: check blockers, 1: read, 2: horizon
        Set<Long> checkedRunning = Set.of();
        int writersLeft = 400;
        for (int step = 0; step < 100_000 && (writersLeft > 0 || !running.isEmpty() || !t.settled()); step++) {
            int what = r.nextInt(10);
            if (what < 3 && writersLeft > 0) {
                running.put(next[0]++, null); // begin: the transaction id comes first
                writersLeft--;
            } else if (what < 5 && !running.isEmpty()) {
                Long xid = pick(r, running.keySet());
                if (running.get(xid) == null) {
                    running.put(xid, next[1]++); // take a number
                } else if (r.nextInt(4) == 0) {
                    running.remove(xid); // roll back: the number never appears
                } else {
                    committed.add(running.remove(xid));
                }
            } else if (phase == 0) {
                checkedRunning = new HashSet<>(running.keySet());
                t.stillRunning(checkedRunning);
                phase = 1;
            } else if (phase == 1) {
                List<Long> fresh =
                        committed.stream().filter(s -> s > t.highSeen()).toList();
                List<Long> late = t.holes().stream().filter(committed::contains).toList();
                applied.addAll(fresh);
                applied.addAll(late);
                t.filled(late);
                dropped.addAll(t.dropAbandoned());
                t.saw(fresh, 0);
                phase = 2;
            } else {
                if (t.needsHorizon()) {
                    t.horizon(new HashSet<>(running.keySet()));
                }
                phase = 0;
            }
        }
        assertThat(running).as("every writer finished").isEmpty();
        assertThat(t.settled()).as("the follower settled").isTrue();
        Set<Long> lost = new TreeSet<>(dropped);
        lost.retainAll(committed);
        assertThat(lost).as("dropped numbers that committed").isEmpty();
        assertThat(applied).as("applied exactly what committed").isEqualTo(committed);
    }

    private static Long pick(Random r, Set<Long> keys) {
        List<Long> l = new ArrayList<>(keys);
        return l.get(r.nextInt(l.size()));
    }
}
