package dev.gridserve.cache;

import java.time.Duration;

/**
 * Bytes written in the last {@code window}, capped at {@code limit}. Cache entries expire after their TTL, so
 * what one instance has written to Redis within one TTL is all it can have there: keeping that under a budget
 * keeps its share of Redis memory under it, however many distinct requests arrive.
 */
final class WriteBudget {
    private final long limit;
    private final long[] perSecond;
    private long latestSecond = -1;
    private long total;

    WriteBudget(long limit, Duration window) {
        this.limit = limit;
        this.perSecond = new long[(int) Math.max(1, window.toSeconds())];
    }

    /** Takes {@code bytes} from the budget and says so, or leaves it and says no. */
    synchronized boolean tryTake(long bytes, long nowMillis) {
        long second = nowMillis / 1000;
        if (latestSecond < 0 || second - latestSecond >= perSecond.length) {
            java.util.Arrays.fill(perSecond, 0);
            total = 0;
        } else {
            for (long s = latestSecond + 1; s <= second; s++) {
                int i = (int) (s % perSecond.length);
                total -= perSecond[i];
                perSecond[i] = 0;
            }
        }
        latestSecond = Math.max(latestSecond, second);
        if (total + bytes > limit) {
            return false;
        }
        perSecond[(int) (second % perSecond.length)] += bytes;
        total += bytes;
        return true;
    }
}
