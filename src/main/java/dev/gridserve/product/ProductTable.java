package dev.gridserve.product;

import dev.gridserve.changes.ChangeFollower;
import dev.gridserve.changes.ChangeLog;
import dev.gridserve.changes.Followings;
import dev.gridserve.changes.Reconciler;
import dev.gridserve.changes.TableFollowing;
import dev.gridserve.changes.VersionPublisher;
import dev.gridserve.schema.Schemas;
import dev.gridserve.search.IndexLayout;
import dev.gridserve.search.TableIndex;
import dev.gridserve.search.TableSearcher;
import dev.gridserve.system.DataDirectory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The products table's engine: its index laid out from the products schema, in {@code DATA_DIR/index}, followed
 * from its change log like every table's. Its parts are beans for the code written for products; their shutdown
 * belongs to {@link Followings}.
 */
@Configuration(proxyBeanMethods = false)
class ProductTable {
    @Bean(destroyMethod = "")
    TableFollowing productsFollowing(
            Schemas schemas, DataDirectory data, Followings followings, ProductRepository products) {
        TableIndex index = new TableIndex(
                new IndexLayout(schemas.table("products").orElseThrow()),
                data.path().resolve("index"));
        return followings.add("products", products, index, new TableSearcher(index));
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
