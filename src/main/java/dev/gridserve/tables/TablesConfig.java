package dev.gridserve.tables;

import dev.gridserve.schema.Schemas;
import dev.gridserve.search.IndexLayout;
import dev.gridserve.search.TableIndex;
import dev.gridserve.search.TableSearcher;
import dev.gridserve.system.DataDirectory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The products table's index and searcher, laid out from its schema. */
@Configuration(proxyBeanMethods = false)
class TablesConfig {
    @Bean
    TableIndex productsIndex(Schemas schemas, DataDirectory data) {
        return new TableIndex(
                new IndexLayout(schemas.table("products").orElseThrow()),
                data.path().resolve("index"));
    }

    @Bean
    TableSearcher productsSearcher(TableIndex productsIndex) {
        return new TableSearcher(productsIndex);
    }
}
