package dev.gridserve.cache;

import io.micrometer.observation.ObservationPredicate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Cache warming and stale-answer revalidation are the service's own background work, not requests: their
 * cache lookups, index queries and statements would each become a trace of its own (with no request around
 * them), so they are not observed.
 */
@Configuration(proxyBeanMethods = false)
class WarmingObservations {
    @Bean
    ObservationPredicate notWhileWarming() {
        return (name, context) -> !ResponseCache.isWarming();
    }
}
