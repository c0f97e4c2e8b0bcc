package dev.gridserve.product;

import dev.gridserve.changes.ChangeFollower;
import dev.gridserve.changes.ChangeLog;
import dev.gridserve.changes.Followings;
import dev.gridserve.changes.Reconciler;
import dev.gridserve.changes.TableFollowing;
import dev.gridserve.changes.VersionPublisher;
import dev.gridserve.search.TableIndex;
import dev.gridserve.search.TableSearcher;
import dev.gridserve.tables.Tables;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The products table's engine parts as beans: the top of /health, start-up and the tests speak of the catalogue,
 * the table the service started with. The table itself is served like any other; shutdown belongs to
 * {@link Followings}.
 */
@Configuration(proxyBeanMethods = false)
class ProductTable {
    @Bean(destroyMethod = "")
    TableFollowing productsFollowing(Tables tables) {
        return tables.require(Tables.PRODUCTS).following();
    }

    @Bean(destroyMethod = "")
    TableIndex productsIndex(TableFollowing productsFollowing) {
        return productsFollowing.index();
    }

    @Bean(destroyMethod = "")
    TableSearcher productsSearcher(TableFollowing productsFollowing) {
        return productsFollowing.searcher();
    }

    @Bean(destroyMethod = "")
    ChangeLog productsLog(TableFollowing productsFollowing) {
        return productsFollowing.log();
    }

    @Bean(destroyMethod = "")
    ChangeFollower productsFollower(TableFollowing productsFollowing) {
        return productsFollowing.follower();
    }

    @Bean(destroyMethod = "")
    VersionPublisher productsVersions(TableFollowing productsFollowing) {
        return productsFollowing.versions();
    }

    @Bean(destroyMethod = "")
    Reconciler productsReconciler(TableFollowing productsFollowing) {
        return productsFollowing.reconciler();
    }
}
