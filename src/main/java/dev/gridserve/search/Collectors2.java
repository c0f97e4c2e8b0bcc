package dev.gridserve.search;

import java.util.Collection;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.CollectorManager;

/** Adapts a per-collector accumulator to Lucene's CollectorManager (searches may run per slice). */
final class Collectors2 {
    private Collectors2() {}

    static <C extends Collector, T> CollectorManager<C, T> manager(
            Supplier<C> create, Function<C, T> result, BinaryOperator<T> merge) {
        return new CollectorManager<>() {
            @Override
            public C newCollector() {
                return create.get();
            }

            @Override
            public T reduce(Collection<C> collectors) {
                return collectors.stream().map(result).reduce(merge).orElseThrow();
            }
        };
    }
}
