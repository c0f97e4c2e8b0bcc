package dev.gridserve.health;

import dev.gridserve.changes.ChangeFollower;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Part of readiness (/health/ready): reads can be answered once the index has caught up, whether or not the
 * database is reachable right now (reads are served from the index through an outage).
 */
@Component("index")
class IndexReadiness implements HealthIndicator {
    private final ChangeFollower follower;

    IndexReadiness(ChangeFollower follower) {
        this.follower = follower;
    }

    @Override
    public Health health() {
        return follower.ready() ? Health.up().build() : Health.outOfService().build();
    }
}
