package dev.gridserve.storage;

import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class StorageConfig {
    /**
     * The project's own migrations (Flyway), then the tables' storage from their schema files, before anything
     * reads or writes a table.
     */
    @Bean
    FlywayMigrationStrategy migrateThenApplySchemas(SchemaMigrator schemas) {
        return flyway -> {
            flyway.migrate();
            schemas.migrateAll();
        };
    }
}
