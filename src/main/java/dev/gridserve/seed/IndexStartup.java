package dev.gridserve.seed;

import dev.gridserve.changes.ChangeFollower;
import dev.gridserve.product.ProductRepository;
import dev.gridserve.system.DataProperties;
import org.springframework.boot.ApplicationArguments;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Seeds an empty database (or what {@code --seed=N} asks for), then brings the index up to date and starts
 * following the change log: before the web server opens when {@code await-index-on-start} is set, otherwise
 * in the background while /health says "starting". Stops after the web server, so in-flight requests finish
 * before the index's final commit.
 */
@Component
class IndexStartup implements SmartLifecycle {
    private final Seeder seeder;
    private final ProductRepository products;
    private final ChangeFollower follower;
    private final DataProperties data;
    private final ApplicationArguments args;
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(IndexStartup.class);
    private volatile boolean running;

    IndexStartup(
            Seeder seeder,
            ProductRepository products,
            ChangeFollower follower,
            DataProperties data,
            ApplicationArguments args) {
        this.seeder = seeder;
        this.products = products;
        this.follower = follower;
        this.data = data;
        this.args = args;
    }

    @Override
    public void start() {
        running = true;
        // a command-line seed (and --exit) must finish before the application is considered started
        if (data.awaitIndexOnStart() || args.containsOption("seed") || args.containsOption("exit")) {
            prepare();
        } else {
            // Serve /health (503, "starting") while seeding or rebuilding; reads answer 503 until ready.
            Thread.ofPlatform().daemon().name("index-startup").start(() -> {
                try {
                    prepare();
                } catch (RuntimeException e) {
                    log.error("Index start-up failed; the service stays not ready", e);
                }
            });
        }
    }

    private void prepare() {
        int requested = requestedSeed();
        if (requested > 0) {
            seeder.seed(requested, data.seedRandom());
        } else if (data.seedOnEmpty() > 0 && products.count() == 0) {
            seeder.seed(data.seedOnEmpty(), data.seedRandom());
        }
        follower.start();
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

    @Override
    public void stop() {
        follower.stop();
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
