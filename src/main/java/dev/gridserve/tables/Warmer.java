package dev.gridserve.tables;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gridserve.cache.ResponseCache;
import dev.gridserve.cache.WarmingProperties;
import dev.gridserve.search.TableIndex;
import dev.gridserve.search.TableSearcher;
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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
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
 * arriving meanwhile starts it again from the hottest. Before that, remembered answers the change cannot have
 * changed are carried to the new version (see {@link #carryForward}). The hottest list and stats reads are kept
 * in the data directory, so a restarted instance asks them as soon as it is ready.
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

    /**
     * A read as it can be asked again (through the same path, at whatever version is current then), and the part
     * of its cache key before the version; for a list or stats read, enough to carry its answer forward and to
     * save it for the next run.
     */
    private record Recipe(Answers.Read read, String keyPrefix) {
        String table() {
            return read.table();
        }

        Supplier<ResponseCache.Entry> again() {
            return read.again();
        }

        ListRequest list() {
            return read.list();
        }

        String key(String version) {
            return keyPrefix + "v" + version + "|" + read.request();
        }

        String unversioned() {
            return keyPrefix + read.request();
        }

        /** Null for a read that is not a list or stats request. */
        Saved saved() {
            return read.list() == null
                    ? null
                    : new Saved(read.table(), read.endpoint(), read.list().params());
        }
    }

    private final WarmingProperties props;
    private final boolean on;
    private final Cache<String, Recipe> hot;
    private final Set<String> changed = ConcurrentHashMap.newKeySet();

    /** A table's move to a new version, with the readers of both sides when they can be compared. */
    private record TableChange(Table table, TableIndex.VersionChange change) {}

    /** Version changes not yet looked at; each holds two readers, so only a few may wait. */
    private final BlockingQueue<TableChange> versionChanges = new ArrayBlockingQueue<>(8);

    private final Semaphore signal = new Semaphore(0);
    private final Counter computed;
    private final Counter alreadyCached;
    private final Counter failed;
    private final Counter carried;
    private final ResponseCache cache;
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
        this.carried = counter(meters, "carried");
        this.cache = cache;
        this.file = data.path().resolve(FILE);
        if (!on) {
            return;
        }
        fromLastRun = load(file);
        for (Table t : tables.all()) {
            t.following().index().onVersion(change -> {
                if (!versionChanges.offer(new TableChange(t, change))) {
                    change.close(); // far behind: this step is not carried (later ones then find nothing to carry)
                }
                changed(Set.of(t.name()));
            });
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

    /** Notes that {@code read} was asked and answered; its cache key is {@code keyPrefix} + version + its request. */
    void asked(Answers.Read read, String keyPrefix) {
        if (on) {
            // a lookup, which the policy counts; a new read enters as its least likely entry to stay
            hot.get(read.table() + "|" + keyPrefix + read.request(), k -> new Recipe(read, keyPrefix));
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
                carryForward();
                restoreLastRun();
                warm(names);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("Cache warming stopped a round: {}", e.toString());
            }
        }
    }

    /**
     * Answers a version change cannot have changed are served at the new version too: a list or stats answer
     * none of whose changed rows its query selects, before or after the change (its rows, total, facets and
     * stats are then all the same). Only the remembered reads are looked at, hottest first.
     */
    private void carryForward() throws InterruptedException {
        for (TableChange tc = versionChanges.poll(); tc != null; tc = versionChanges.poll()) {
            try (TableIndex.VersionChange c = tc.change()) {
                if (!c.carriesReaders()) {
                    continue;
                }
                TableSearcher searcher = tc.table().following().searcher();
                long t0 = System.nanoTime();
                TableSearcher.Docs before = searcher.locate(c.before().searcher(), c.changed());
                TableSearcher.Docs after = searcher.locate(c.after().searcher(), c.changed());
                for (Recipe r : hottest()) {
                    if (r.list() == null || !r.table().equals(tc.table().name())) {
                        continue;
                    }
                    String from = r.key(c.previousVersion());
                    if (cache.cached(from)
                            && !searcher.selectsAny(before, r.list().query())
                            && !searcher.selectsAny(after, r.list().query())
                            && cache.carry(from, r.key(c.version()), r.unversioned())) {
                        carried.increment();
                    }
                }
                // the same share of a core as warming
                long busy = System.nanoTime() - t0;
                TimeUnit.NANOSECONDS.sleep((long) (busy * (1 - props.cpuShare()) / props.cpuShare()));
            } catch (IOException | RuntimeException e) {
                log.debug("Could not carry cached answers forward: {}", e.toString());
            }
        }
    }

    /**
     * The last run's hottest reads are asked once the API layer can ask them (and so join the remembered ones);
     * those the index could not answer yet (still starting) are tried again at the next round.
     */
    private void restoreLastRun() throws InterruptedException {
        List<Saved> saved = fromLastRun;
        Replayer r = replayer;
        if (saved == null || r == null) {
            return;
        }
        List<Saved> notYet = new ArrayList<>();
        for (Saved s : saved) {
            Supplier<ResponseCache.Entry> again;
            try {
                again = r.replay(s.table(), s.endpoint(), s.params());
            } catch (RuntimeException e) {
                continue; // a read this run's schema no longer accepts: forgotten
            }
            if (again != null && !warmOne(again)) {
                notYet.add(s);
            }
        }
        fromLastRun = notYet.isEmpty() ? null : notYet;
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
            warmOne(r.again());
        }
    }

    /** Asks one read as warming, then rests in proportion to its cost; false when it failed. */
    private boolean warmOne(Supplier<ResponseCache.Entry> again) throws InterruptedException {
        long t0 = System.nanoTime();
        boolean ok = true;
        try {
            ResponseCache.Entry e = ResponseCache.warming(again);
            (e.level() == ResponseCache.Level.MISS ? computed : alreadyCached).increment();
        } catch (RuntimeException e) {
            failed.increment(); // e.g. the index is being rebuilt; clients get the same answer themselves
            ok = false;
        }
        long busy = System.nanoTime() - t0;
        TimeUnit.NANOSECONDS.sleep((long) (busy * (1 - props.cpuShare()) / props.cpuShare()));
        return ok;
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
        for (TableChange tc = versionChanges.poll(); tc != null; tc = versionChanges.poll()) {
            tc.change().close();
        }
    }
}
