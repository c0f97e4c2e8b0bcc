package dev.gridserve.system;

import io.micrometer.observation.ObservationRegistry;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationRegistryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * JDBC statements are observed (spans, timers) only inside another observation, such as a request: the change
 * followers poll the change log of every table several times a second, and each poll would otherwise be a
 * trace of its own, drowning the requests' traces in an exporter.
 */
@Configuration(proxyBeanMethods = false)
class TracingConfig {
    @Bean
    ObservationRegistryCustomizer<ObservationRegistry> jdbcOnlyWithinWork() {
        return registry -> registry.observationConfig()
                .observationPredicate(
                        (name, context) -> !name.startsWith("jdbc.") || registry.getCurrentObservation() != null);
    }
}
