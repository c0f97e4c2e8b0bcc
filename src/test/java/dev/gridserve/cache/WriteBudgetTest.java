package dev.gridserve.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The budget against a brute-force record of every write taken: never more than the limit in any window. */
class WriteBudgetTest {
    @Test
    void bytesTakenInAnyWindowNeverExceedTheLimitAndExpireWithIt() {
        WriteBudget b = new WriteBudget(10_000, Duration.ofSeconds(5));
        Random r = new Random(7);
        ArrayDeque<long[]> taken = new ArrayDeque<>(); // {millis, bytes}
        long now = 1_000_000;
        int granted = 0;
        for (int i = 0; i < 20_000; i++) {
            now += r.nextInt(30);
            long bytes = 1 + r.nextInt(2000);
            long second = now / 1000;
            while (!taken.isEmpty() && taken.peekFirst()[0] / 1000 <= second - 5) {
                taken.pollFirst();
            }
            long inWindow = taken.stream().mapToLong(t -> t[1]).sum();
            boolean ok = b.tryTake(bytes, now);
            assertThat(ok).as("at %d with %d in the window", now, inWindow).isEqualTo(inWindow + bytes <= 10_000);
            if (ok) {
                taken.addLast(new long[] {now, bytes});
                granted++;
            }
        }
        assertThat(granted).isGreaterThan(1000);
    }
}
