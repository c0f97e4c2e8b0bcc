package dev.gridserve.storage;

import dev.gridserve.system.LongWork;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Consumer;
import javax.sql.DataSource;

/** Reads every row of a query with a server-side cursor, for (re)building an index: memory holds one fetch. */
public final class RowStreams {
    /** Maps the current row of a result set. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private RowStreams() {}

    /** Streams the rows of {@code sql} to {@code sink}; {@code what} names them in an error. */
    public static <T> void stream(
            DataSource dataSource,
            LongWork longWork,
            String sql,
            Reader<T> reader,
            Consumer<? super T> sink,
            String what) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false); // PostgreSQL only streams inside a transaction
            longWork.lift(c); // reading every row may take minutes
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(5000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(reader.read(rs));
                    }
                }
            } finally {
                c.rollback();
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read " + what + ": " + e.getMessage(), e);
        }
    }
}
