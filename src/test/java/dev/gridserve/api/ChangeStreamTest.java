package dev.gridserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.support.Apps;
import dev.gridserve.support.Bodies;
import dev.gridserve.support.Http;
import dev.gridserve.support.PostgresSchema;
import dev.gridserve.support.TestKeys;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Server-Sent Events of applied changes, over the real PostgreSQL: every connected client gets a write, a
 * reconnect with Last-Event-ID gets exactly the changes it missed (the oracle is the change-log table itself,
 * read with plain SQL), partly replayed from the log when the in-memory buffer no longer holds them, a client
 * too far behind is told to resync, and the limits answer with problems, never a 500.
 */
class ChangeStreamTest {
    /** One open stream, its events parsed as they arrive on a reader thread. */
    static final class Stream implements AutoCloseable {
        record Event(String id, String type, String data) {
            JsonNode json() {
                return Http.JSON.readTree(data);
            }
        }

        private static final HttpClient CLIENT = HttpClient.newHttpClient();

        final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        final int status;
        final String body;
        private final InputStream in;

        Stream(int port, String lastEventId) throws Exception {
            HttpRequest.Builder req = HttpRequest.newBuilder(
                            URI.create("http://localhost:" + port + "/api/v1/products/changes/stream"))
                    .header("Accept", "text/event-stream");
            if (lastEventId != null) {
                req.header("Last-Event-ID", lastEventId);
            }
            HttpResponse<InputStream> r = CLIENT.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
            status = r.statusCode();
            in = r.body();
            if (status != 200) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return;
            }
            body = null;
            Thread.ofVirtual().start(this::read);
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(this.in, StandardCharsets.UTF_8))) {
                String id = null;
                String type = "message";
                StringBuilder data = new StringBuilder();
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.isEmpty()) {
                        if (!data.isEmpty()) {
                            events.add(new Event(id, type, data.toString()));
                        }
                        id = null;
                        type = "message";
                        data.setLength(0);
                    } else if (line.startsWith("id: ")) {
                        id = line.substring(4);
                    } else if (line.startsWith("event: ")) {
                        type = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        data.append(line.substring(6));
                    }
                }
            } catch (Exception e) {
                // closed by the test
            }
        }

        /** The next event, waiting for it (the limit only ends a test whose event never comes). */
        Event next() throws InterruptedException {
            Event e = events.poll(60, TimeUnit.SECONDS);
            assertThat(e).as("an event arrived").isNotNull();
            return e;
        }

        /** Leaves: closing the body cancels the exchange and closes its connection. */
        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    record Logged(long seq, long id, String op) {}

    /** What the change log holds after {@code seq}, read with plain SQL. */
    static List<Logged> logAfter(PostgresSchema pg, long seq) throws Exception {
        List<Logged> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "postgres", "");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT seq, product_id, op FROM product_changes WHERE seq > " + seq + " ORDER BY seq")) {
            while (rs.next()) {
                out.add(new Logged(rs.getLong(1), rs.getLong(2), rs.getString(3)));
            }
        }
        return out;
    }

    static Logged logged(Stream.Event e) {
        JsonNode j = e.json();
        String op = j.get("op").asString();
        assertThat(e.id()).isEqualTo(j.get("seq").asString());
        return new Logged(
                Long.parseLong(e.id()), Long.parseLong(j.get("_id").asString()), op.equals("upsert") ? "U" : "D");
    }

    /** {@code n} writes: updates of {@code id}, new rows, and a delete of one of them. */
    static void writes(Http http, String id, int n, String tag) {
        String made = null;
        for (int i = 0; i < n; i++) {
            Http.Response r;
            if (i % 3 == 0) {
                r = http.post("/api/v1/products", Bodies.product(tag + "-" + i, 10 + i));
                made = r.json().get("_id").asString();
            } else if (i == n - 1 && made != null) {
                r = http.delete("/api/v1/products/" + made);
            } else {
                r = http.put("/api/v1/products/" + id, "{\"stock\": " + i + "}");
            }
            assertThat(r.status()).as(r.raw()).isIn(200, 201, 204);
        }
    }

    static List<Logged> received(Stream s, int n) throws InterruptedException {
        List<Logged> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Stream.Event e = s.next();
            assertThat(e.type()).as(e.data()).isEqualTo("change");
            out.add(logged(e));
        }
        return out;
    }

    @Test
    void everyClientGetsEachWriteAndAReconnectGetsExactlyWhatItMissed() throws Exception {
        PostgresSchema pg = new PostgresSchema();
        try (ConfigurableApplicationContext app = Apps.start(Apps.over(
                pg,
                pg.dataDir,
                "gridserve.stream.buffer=16",
                "gridserve.stream.max-replay=40",
                "gridserve.stream.max-streams=3"))) {
            Http http = Apps.http(app).as(TestKeys.ADMIN);
            int port = ((org.springframework.boot.web.server.context.WebServerApplicationContext) app)
                    .getWebServer()
                    .getPort();
            String lastOfA;
            String id;
            try (Stream b = new Stream(port, null)) {
                try (Stream a = new Stream(port, null)) {
                    assertThat(a.next().type()).isEqualTo("ready");
                    assertThat(b.next().type()).isEqualTo("ready");

                    long wrote = System.nanoTime();
                    Http.Response created = http.post("/api/v1/products", Bodies.product("SSE-1", 10));
                    assertThat(created.status()).isEqualTo(201);
                    id = created.json().get("_id").asString();
                    for (Stream s : List.of(a, b)) {
                        Stream.Event e = s.next();
                        assertThat(e.type()).isEqualTo("change");
                        assertThat(e.json().get("_id").asString()).isEqualTo(id);
                        assertThat(e.json().get("op").asString()).isEqualTo("upsert");
                        System.out.printf(
                                "SSE: a write reached a client %.1f ms after it was sent%n",
                                (System.nanoTime() - wrote) / 1e6);
                    }
                    lastOfA = Long.toString(logAfter(pg, 0).getLast().seq());
                }

                // a is gone; more changes than the buffer holds happen meanwhile, b sees them live
                writes(http, id, 30, "MISSED");
                List<Logged> missed = logAfter(pg, Long.parseLong(lastOfA));
                assertThat(missed).hasSize(30);
                assertThat(received(b, 30)).as("live").isEqualTo(missed);
                try (Stream again = new Stream(port, lastOfA)) {
                    assertThat(again.next().type()).isEqualTo("ready");
                    assertThat(received(again, 30))
                            .as("resumed after " + lastOfA)
                            .isEqualTo(missed);
                    try (Stream third = new Stream(port, null);
                            Stream fourth = new Stream(port, null)) {
                        assertThat(third.status).isEqualTo(200);
                        assertThat(fourth.status).isEqualTo(503);
                        assertThat(Http.JSON.readTree(fourth.body).get("detail").asString())
                                .contains("Too many change streams");
                    }
                    long wrote = System.nanoTime();
                    writes(http, id, 1, "AFTER");
                    List<Logged> one = received(again, 1);
                    System.out.printf(
                            "SSE: a write reached a warm client %.1f ms after it was sent%n",
                            (System.nanoTime() - wrote) / 1e6);
                    assertThat(one)
                            .as("live after the replay")
                            .isEqualTo(logAfter(pg, missed.getLast().seq()));
                }
                // far more than the buffer and the replay limit since lastOfA: told to resync, then live
                writes(http, id, 60, "LATER");
                try (Stream late = new Stream(port, lastOfA)) {
                    assertThat(late.next().type()).isEqualTo("ready");
                    Stream.Event resync = late.next();
                    assertThat(resync.type()).isEqualTo("resync");
                    long from = Long.parseLong(resync.id());
                    writes(http, id, 1, "NEWEST");
                    assertThat(received(late, 1)).isEqualTo(logAfter(pg, from));
                }
            }
            Stream bad = new Stream(port, "yesterday");
            assertThat(bad.status).isEqualTo(422);
            assertThat(Http.JSON.readTree(bad.body).get("detail").asString()).contains("Last-Event-ID");
        }
    }
}
