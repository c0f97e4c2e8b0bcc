package dev.gridserve.changes;

import static dev.gridserve.system.Settings.positive;
import static dev.gridserve.system.Settings.within;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Push streams of applied changes: how many may be open on an instance at once ({@code maxStreams}; one more is a
 * 503), how often an idle stream sends a heartbeat, how many recent changes each table keeps in memory for the
 * streams ({@code buffer}: a stream further behind than that is told to resync, so a slow client never makes the
 * server hold more), and how many older changes a reconnecting client may be replayed from the change log
 * ({@code maxReplay}).
 */
@ConfigurationProperties("gridserve.stream")
public record StreamProperties(int maxStreams, Duration heartbeat, int buffer, int maxReplay) {
    public StreamProperties {
        maxStreams = (int) within(maxStreams, 100, 1, 10_000, "STREAM_MAX_STREAMS", "gridserve.stream.max-streams");
        heartbeat = positive(heartbeat, Duration.ofSeconds(15), "STREAM_HEARTBEAT", "gridserve.stream.heartbeat");
        buffer = (int) within(buffer, 10_000, 16, 1_000_000, "STREAM_BUFFER", "gridserve.stream.buffer");
        maxReplay = (int) within(maxReplay, 10_000, 0, 1_000_000, "STREAM_MAX_REPLAY", "gridserve.stream.max-replay");
    }
}
