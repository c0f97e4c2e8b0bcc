package dev.gridserve.system;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class DatabaseConfig {
    /** Takes the data directory's lock first: no second process may open the embedded database files. */
    @Bean
    DataSource dataSource(DatabaseProperties db, DataDirectory data) throws IOException {
        if (db.url().isEmpty()) {
            Files.createDirectories(data.path().resolve("db"));
        }
        HikariConfig c = db.pool(data.path(), "gridserve-db", db.poolSize());
        c.setConnectionTimeout(db.connectTimeout().toMillis() + 1000);
        c.setValidationTimeout(Math.max(250, db.connectTimeout().toMillis()));
        c.setInitializationFailTimeout(-1); // start anyway; start-up retries until the database is there
        return new HikariDataSource(c);
    }

    @Bean
    Dialect dialect(DatabaseProperties db, DataDirectory data) {
        return db.jdbcUrl(data.path()).startsWith("jdbc:postgresql:") ? Dialect.POSTGRES : Dialect.H2;
    }
}
