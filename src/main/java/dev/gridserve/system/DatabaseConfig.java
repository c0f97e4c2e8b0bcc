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
        HikariConfig c = new HikariConfig();
        String url = db.jdbcUrl(data.path());
        if (db.url().isEmpty()) {
            Files.createDirectories(data.path().resolve("db"));
        }
        c.setJdbcUrl(url);
        c.setUsername(db.effectiveUser());
        c.setPassword(db.effectivePassword());
        c.setMaximumPoolSize(db.poolSize());
        c.setPoolName("gridserve-db");
        // Fail fast on an unreachable database instead of hanging request threads.
        c.setConnectionTimeout(3000);
        c.setValidationTimeout(2000);
        c.setInitializationFailTimeout(-1);
        return new HikariDataSource(c);
    }

    @Bean
    Dialect dialect(DatabaseProperties db, DataProperties data) {
        return db.jdbcUrl(data.dir()).startsWith("jdbc:postgresql:") ? Dialect.POSTGRES : Dialect.H2;
    }
}
