package dev.gridserve.tables;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gridserve.cache.ResponseCache;
import dev.gridserve.cache.WarmingProperties;
import dev.gridserve.system.DataDirectory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps the hottest reads cached across writes. Every cache key carries the data version, so each write leaves
 * every cached answer behind; after each new version of a table this recomputes the reads asked most (as
 * Caffeine's eviction policy ranks them: by frequency once half full, by recency of reuse before), hottest first, on one
 * background thread that rests long enough after each to stay within its share of a core. A newer version
 * arriving meanwhile starts it again from the hottest. The hottest list and stats reads are kept in the data
 * directory, so a restarted instance asks them as soon as it is ready.
 */
@Component
public class Warmer implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(Warmer.class);
    private static final String FILE = "hot-reads.json";
    private static final long SAVE_EVERY_SECONDS = 60;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A read as it can be asked again after a restart: its table, endpoint and request parameters. */
    record Saved(String table, String endpoint, Map<String, List<String>> params) {}

    /** Asks a saved read again (the API layer knows how); null when it no longer can be (a table gone). */
    public interface Replayer {
        Supplier<ResponseCache.Entry> replay(String table, String endpoint, Map<String, List<String>> params);
    }

    /** A read as it can be asked again: through the same path, at whatever version is current then. */
    private record Recipe(String table, Saved saved, Supplier<ResponseCache.Entry> again) {}

    private final WarmingProperties props;
    private final boolean on;
    private final Cache<String, Recipe> hot;
    private final Set<String> changed = ConcurrentHashMap.newKeySet();
    private final Semaphore signal = new Semaphore(0);
    private final Counter computed;
    private final Counter alreadyCached;
    private final Counter failed;
    private final Path file;
    private final Tables tables;
    private volatile List<Saved> fromLastRun;
    private volatile Replayer replayer;
    private volatile boolean running = true;
    private Thread thread;

    Warmer(WarmingProperties props, ResponseCache cache, Tables tables, MeterRegistry meters, DataDirectory data) {
        this.props = props;
        this.tables = tables;
        this.on = props.enabled() && props.queries() > 0 && cache.enabled();
        this.hot = Caffeine.newBuilder().maximumSize(props.remembered()).build();
        this.computed = counter(meters, "computed");
        this.alreadyCached = counter(meters, "cached");
        this.failed = counter(meters, "failed");
        this.file = data.path().resolve(FILE);
        if (!on) {
            return;
        }
        fromLastRun = load(file);
        for (Table t : tables.all()) {
            t.following().index().onVersion(version -> changed(Set.of(t.name())));
        }
        thread = Thread.ofPlatform().daemon().name("cache-warmer").start(this::run);
    }

    private static Counter counter(MeterRegistry meters, String result) {
        return Counter.builder("gridserve.cache.warming")
                .description("reads recomputed in the background after a data version change, by outcome")
                .tag("result", result)
                .register(meters);
    }

    /** How saved reads are asked again; set once by the API layer. */
    public void replayWith(Replayer r) {
        this.replayer = r;
    }

    /** Once started: the reads saved by the last run are asked as soon as the tables answer. */
    @EventListener(ApplicationReadyEvent.class)
    void started() {
        if (on) {
            Set<String> all = new HashSet<>();
            tables.all().forEach(t -> all.add(t.name()));
            changed(all);
        }
    }

    private void changed(Set<String> names) {
        changed.addAll(names);
        signal.release();
    }

    /**
     * Notes that {@code key} (a read of {@code table}, without the data version) was asked and answered;
     * {@code params}, when not null, are its request parameters (saved for the next run).
     */
    void asked(
            String table,
            String endpoint,
            String key,
            Map<String, List<String>> params,
            Supplier<ResponseCache.Entry> again) {
        if (on) {
            // a lookup, which the policy counts; a new read enters as its least likely entry to stay
            hot.get(
                    table + "|" + key,
                    k -> new Recipe(table, params == null ? null : new Saved(table, endpoint, params), again));
        }
    }

    private void run() {
        while (running) {
            try {
                if (!signal.tryAcquire(SAVE_EVERY_SECONDS, TimeUnit.SECONDS)) {
                    save();
                    continue;
                }
                signal.drainPermits();
                Set<String> names = Set.copyOf(changed);
                changed.removeAll(names);
                restoreLastRun();
                warm(names);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("Cache warming stopped a round: {}", e.toString());
            }
        }
    }

    /** The last run's hottest reads join the remembered ones (once the API layer can ask them). */
    private void restoreLastRun() {
        List<Saved> saved = fromLastRun;
        Replayer r = replayer;
        if (saved == null || r == null) {
            return;
        }
        fromLastRun = null;
        for (Saved s : saved) {
            try {
                Supplier<ResponseCache.Entry> again = r.replay(s.table(), s.endpoint(), s.params());
                if (again != null) {
                    hot.put(s.table() + "|saved|" + s.endpoint() + "|" + s.params(), new Recipe(s.table(), s, again));
                }
            } catch (RuntimeException e) {
                // a read this run's schema no longer accepts: forgotten
            }
        }
    }

    private void warm(Set<String> names) throws InterruptedException {
        List<Recipe> top = hottest().stream()
                .filter(r -> names.contains(r.table()))
                .limit(props.queries())
                .toList();
        for (Recipe r : top) {
            if (!running || !changed.isEmpty()) {
                return; // a newer version: the next round starts again from the hottest
            }
            long t0 = System.nanoTime();
            try {
                ResponseCache.Entry e = ResponseCache.warming(r.again());
                (e.level() == ResponseCache.Level.MISS ? computed : alreadyCached).increment();
            } catch (RuntimeException e) {
                failed.increment(); // e.g. the index is being rebuilt; clients get the same answer themselves
            }
            long busy = System.nanoTime() - t0;
            TimeUnit.NANOSECONDS.sleep((long) (busy * (1 - props.cpuShare()) / props.cpuShare()));
        }
    }

    private List<Recipe> hottest() {
        return List.copyOf(hot.policy()
                .eviction()
                .orElseThrow()
                .hottest(props.remembered())
                .values());
    }

    /** The hottest list and stats reads, written beside the index (replaced whole, never half-written). */
    private synchronized void save() {
        List<Saved> top = new ArrayList<>();
        for (Recipe r : hottest()) {
            if (r.saved() != null && top.size() < props.queries()) {
                top.add(r.saved());
            }
        }
        if (top.isEmpty()) {
            return;
        }
        try {
            Path tmp = file.resolveSibling(FILE + ".tmp");
            Files.writeString(tmp, JSON.writeValueAsString(top), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            log.debug("Could not save the hottest reads: {}", e.toString());
        }
    }

    private static List<Saved> load(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return JSON.readValue(Files.readString(file, StandardCharsets.UTF_8), new TypeReference<List<Saved>>() {});
        } catch (IOException | RuntimeException e) {
            log.info("Ignoring the saved hottest reads in {}: {}", file, e.toString());
            return null;
        }
    }

    @Override
    public void destroy() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            save();
        }
    }
}
