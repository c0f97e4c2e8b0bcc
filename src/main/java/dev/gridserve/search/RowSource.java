package dev.gridserve.search;

import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Where a table's index reads rows from: the system of record. */
public interface RowSource {
    /** The current rows of {@code ids}; ids without a row are absent. */
    List<? extends Row> findAll(Collection<Long> ids);

    /** Streams every row, for (re)building the index. */
    void forEach(Consumer<? super Row> sink);

    /** Streams the rows with ids {@code from..to} (a bulk-loaded range). */
    void forEachInRange(long from, long to, Consumer<? super Row> sink);

    /** Count and sums of ids and versions, as of one change: what the index must agree with. */
    Checksum checksum();

    long maxId();

    /** Per id range ({@code id / width}): count, sum of ids, sum of versions. */
    Map<Long, List<Long>> rangeChecksums(long width);

    /** Id to version of every row with an id in {@code from..to}. */
    Map<Long, Long> versions(long from, long to);

    /** Database totals for reconciliation, as of change {@code maxSeq}. */
    record Checksum(long maxSeq, long count, BigInteger idSum, BigInteger versionSum) {}
}
