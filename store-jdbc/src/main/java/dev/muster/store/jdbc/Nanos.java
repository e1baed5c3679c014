package dev.muster.store.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** Instants as the schema stores them: nanoseconds since the epoch in a bigint. */
final class Nanos {
    private Nanos() {}

    static long of(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    static Instant instantOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : instant(v);
    }
}
