package dev.gridserve.seed;

import dev.gridserve.changes.ChangeFollower;
import dev.gridserve.changes.Followings;
import dev.gridserve.changes.TableFollowing;
import dev.gridserve.system.DataProperties;
import dev.gridserve.tables.Table;
import dev.gridserve.tables.Tables;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Seeds an empty database (or what {@code --seed=N} asks for, after finishing an interrupted seed), then brings
 * the index up to date and starts following the change log: before the web server opens when
 * {@code await-index-on-start} is set, otherwise in the background while /health says "starting", retrying
 * with a growing pause when that fails (the database may not be up yet). Stops after the web server, so
 * in-flight requests finish before the index's final commit.
 */
@Component
public class IndexStartup implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(IndexStartup.class);
    private static final Duration MAX_PAUSE = Duration.ofMinutes(1);

    /** Why start-up has not finished yet (null while the first attempt runs) and when it is tried again. */
    public record Status(String lastFailure, Instant nextAttempt) {}

    private final Seeder seeder;
    private final TableSeeder tableSeeder;
    private final Table products;
    private final ChangeFollower follower;
    private final Followings followings;
    private final DataProperties data;
    private final ApplicationArguments args;
    private volatile boolean running;
    private volatile boolean stopping;
    private volatile Status status = new Status(null, null);

    IndexStartup(
            Seeder seeder,
            TableSeeder tableSeeder,
            Tables tables,
            ChangeFollower follower,
            Followings followings,
            DataProperties data,
            ApplicationArguments args) {
        this.seeder = seeder;
        this.tableSeeder = tableSeeder;
        this.products = tables.require(Tables.PRODUCTS);
        this.follower = follower;
        this.followings = followings;
        this.data = data;
        this.args = args;
    }

    @Override
    public void start() {
        running = true;
        int requested = requestedSeed(); // a bad --seed stops the start at once
        Map<Table, Integer> tables = args.containsOption("seed-table")
                ? tableSeeder.requested(args.getOptionValues("seed-table"))
                : Map.of();
        // a command-line seed (and --exit) must finish before the application is considered started
        if (data.awaitIndexOnStart()
                || args.containsOption("seed")
                || args.containsOption("seed-table")
                || args.containsOption("exit")) {
            prepare(requested, tables);
        } else {
            // Serve /health (503, "starting") while seeding or building; reads answer 503 until ready.
            Thread.ofPlatform().daemon().name("index-startup").start(() -> prepareUntilDone(requested, tables));
        }
    }

    private void prepareUntilDone(int requested, Map<Table, Integer> tables) {
        Duration pause = Duration.ofSeconds(1);
        while (!stopping) {
            try {
                prepare(requested, tables);
                status = new Status(null, null);
                return;
            } catch (RuntimeException e) {
                String why = e.getMessage() == null ? e.toString() : e.getMessage();
                status = new Status(why, Instant.now().plus(pause));
                log.warn("Index start-up failed ({}); trying again in {} s", why, pause.toSeconds());
                sleep(pause);
                pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
            }
        }
    }

    private void prepare(int requested, Map<Table, Integer> tables) {
        followings.all().forEach(f -> f.log().restartSequencesPastUse());
        if (requested > 0) {
            seeder.seed(requested, data.seedRandom());
        } else if (!seeder.resume()
                && data.seedOnEmpty() > 0
                && products.store().count() == 0) {
            seeder.seed(data.seedOnEmpty(), data.seedRandom());
        }
        tables.forEach((t, n) -> tableSeeder.seed(t, n, data.seedRandom()));
        follower.start();
        // the other tables (products first: it is what existing clients wait for)
        for (TableFollowing f : followings.all()) {
            if (f.follower() != follower) {
                f.follower().start();
            }
        }
    }

    /** Why the last start-up attempt failed, while start-up has not succeeded. */
    public Status status() {
        return status;
    }

    private int requestedSeed() {
        if (!args.containsOption("seed")) {
            return 0;
        }
        String v = args.getOptionValues("seed").get(0);
        try {
            int n = Integer.parseInt(v.replace("_", ""));
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--seed takes a product count, e.g. --seed=1000000; got " + v);
        }
    }

    private void sleep(Duration d) {
        long until = System.nanoTime() + d.toNanos();
        while (!stopping && System.nanoTime() < until) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void stop() {
        stopping = true;
        followings.stopAll();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return 0; // before the web server (which starts late and stops early)
    }
}
