package dev.muster.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs one statement on the connection of a transaction the caller holds: prepares it, binds its
 * parameters, runs it, maps its rows and closes what it opened. Transactions, retries and outages
 * are {@link Transactions}'s; this class only saves each table class the statement plumbing.
 */
final class Sql {
    /** Binds a statement's parameters. */
    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** Reads the current row of a result. */
    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** Binds the parameters of one row of a batch. */
    @FunctionalInterface
    interface RowBinder<T> {
        void bind(PreparedStatement ps, T row) throws SQLException;
    }

    /** Takes the current row of a result. */
    @FunctionalInterface
    interface RowConsumer {
        void accept(ResultSet rs) throws SQLException;
    }

    /** For statements without parameters. */
    static final Binder NO_PARAMETERS = ps -> { };

    private Sql() {}

    /** @return every row of the result, mapped */
    static <T> List<T> query(Connection c, String sql, Binder binder, RowMapper<T> mapper) throws SQLException {
        List<T> out = new ArrayList<>();
        forEach(c, sql, binder, rs -> out.add(mapper.map(rs)));
        return out;
    }

    /** @return the first row of the result, mapped, if there is one */
    static <T> Optional<T> queryOne(Connection c, String sql, Binder binder, RowMapper<T> mapper)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(mapper.map(rs)) : Optional.empty();
            }
        }
    }

    /** @return the first column of the result's first row, as a number; the query must return a row */
    static long queryLong(Connection c, String sql, Binder binder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("no row from: " + sql);
                }
                return rs.getLong(1);
            }
        }
    }

    /** @return the first column of every row, as numbers */
    static long[] longs(Connection c, String sql, Binder binder) throws SQLException {
        long[] out = new long[16];
        int n = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (n == out.length) {
                        out = java.util.Arrays.copyOf(out, n * 2);
                    }
                    out[n++] = rs.getLong(1);
                }
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** Hands every row of the result to {@code each}. */
    static void forEach(Connection c, String sql, Binder binder, RowConsumer each) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    each.accept(rs);
                }
            }
        }
    }

    /** Runs a query for the locks it takes, reading nothing. */
    static void lock(Connection c, String sql, Binder binder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            ps.executeQuery().close();
        }
    }

    /** @return the rows the statement changed */
    static int update(Connection c, String sql, Binder binder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        }
    }

    /** Runs the statement once per row, as one JDBC batch; nothing when there are no rows. */
    static <T> void batch(Connection c, String sql, Iterable<T> rows, RowBinder<? super T> binder)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            boolean any = false;
            for (T row : rows) {
                binder.bind(ps, row);
                ps.addBatch();
                any = true;
            }
            if (any) {
                ps.executeBatch();
            }
        }
    }
}
