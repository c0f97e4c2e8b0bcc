package dev.gridserve.changes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.support.Apps;
import dev.gridserve.support.Bodies;
import dev.gridserve.support.Http;
import dev.gridserve.support.PostgresSchema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Each write tells every listening instance its change-log number when it commits (PostgreSQL NOTIFY), so
 * followers elsewhere apply it at once instead of at their next poll.
 */
class ChangeNotificationTest {
    @Test
    void aCommittedWriteNotifiesItsChangeLogNumber() throws Exception {
        PostgresSchema pg = new PostgresSchema();
        try (ConfigurableApplicationContext app = Apps.start(Apps.over(pg, pg.dataDir));
                Connection listener = DriverManager.getConnection(pg.jdbcUrl(), "postgres", "")) {
            listener.createStatement().execute("LISTEN " + ChangeLog.CHANNEL);
            Http http = Apps.http(app);
            Http.Response created = http.post("/api/v1/products", Bodies.product("NOTIFY-1", 3));
            assertThat(created.status()).isEqualTo(201);
            long version;
            try (var rs = listener.createStatement().executeQuery("SELECT MAX(seq) FROM product_changes")) {
                rs.next();
                version = rs.getLong(1);
            }
            List<String> payloads = new ArrayList<>();
            for (int i = 0; i < 100 && !payloads.contains(Long.toString(version)); i++) { // a deadline, not a target
                PGNotification[] got = listener.unwrap(PGConnection.class).getNotifications(100);
                if (got != null) {
                    for (PGNotification n : got) {
                        payloads.add(n.getParameter());
                    }
                }
            }
            assertThat(payloads).contains(Long.toString(version));
        } finally {
            pg.drop();
        }
    }
}
