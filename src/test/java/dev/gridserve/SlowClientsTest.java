package dev.gridserve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.support.Apps;
import dev.gridserve.support.Http;
import dev.gridserve.support.PostgresSchema;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Clients that send their headers one line every half second (slowloris) once held every connection: with the
 * connection limit lowered to 150, 200 of them connect and drip, and a normal client is still answered because
 * each slow one is closed once its headers have taken longer than HEADER_READ_TIMEOUT.
 */
class SlowClientsTest {
    @Test
    void slowHeaderSendersAreCutOffAndOthersAreAnswered() throws Exception {
        PostgresSchema pg = new PostgresSchema();
        List<Socket> slow = new ArrayList<>();
        AtomicBoolean dripping = new AtomicBoolean(true);
        try (ConfigurableApplicationContext ctx = Apps.start(Apps.over(
                pg,
                pg.dataDir,
                "gridserve.web.header-read-timeout=2s",
                "server.tomcat.max-connections=150",
                "server.tomcat.connection-timeout=60s"))) {
            int port = Apps.http(ctx).uri("/").getPort();
            for (int i = 0; i < 200; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
                s.getOutputStream()
                        .write("GET /api/v1/products HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                slow.add(s);
            }
            AtomicInteger cutOff = new AtomicInteger();
            Thread drip = Thread.ofPlatform().start(() -> {
                while (dripping.get()) {
                    for (Socket s : slow) {
                        if (!s.isClosed()) {
                            try {
                                OutputStream out = s.getOutputStream();
                                out.write("X-Slow: still-coming\r\n".getBytes(StandardCharsets.US_ASCII));
                                out.flush();
                            } catch (IOException e) {
                                cutOff.incrementAndGet(); // the server closed it
                                closeQuietly(s);
                            }
                        }
                    }
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });

            long t0 = System.nanoTime();
            CompletableFuture<Http.Response> normal =
                    CompletableFuture.supplyAsync(() -> Apps.http(ctx).get("/health/live"));
            Http.Response r = normal.get(30, TimeUnit.SECONDS);
            System.out.printf(
                    "a normal request behind 200 slow-header connections (limit 150) answered after %.0f ms%n",
                    (System.nanoTime() - t0) / 1e6);
            assertThat(r.status()).isEqualTo(200);

            for (int i = 0; i < 100 && cutOff.get() < 200; i++) {
                Thread.sleep(100);
            }
            assertThat(cutOff.get())
                    .as("slow-header connections closed by the server")
                    .isEqualTo(200);
            dripping.set(false);
            drip.join();
        } finally {
            dripping.set(false);
            slow.forEach(SlowClientsTest::closeQuietly);
            pg.drop();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closed
        }
    }
}
