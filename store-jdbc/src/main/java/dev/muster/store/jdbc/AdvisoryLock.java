package dev.muster.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The housekeeping lock on PostgreSQL, where several coordinators share a database: a
 * session-level advisory lock, taken on a connection kept for the purpose. When that coordinator
 * dies, its session ends, PostgreSQL releases the lock, and the next coordinator to ask takes it.
 *
 * <p>Thread-safe; {@link #held()} is cheap while the lock is held (a connection validity check).
 */
final class AdvisoryLock implements HousekeepingLock {
    private static final Logger LOG = LoggerFactory.getLogger(AdvisoryLock.class);
    /** The advisory lock's key: any constant that other applications on the database are unlikely to use. */
    static final long KEY = 0x6d75737465720001L;

    private final DataSource dataSource;
    private Connection holder;
    private boolean closed;

    AdvisoryLock(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public synchronized boolean held() {
        if (closed) {
            return false;
        }
        if (holder != null) {
            try {
                if (holder.isValid(2)) {
                    return true;
                }
            } catch (SQLException e) {
                LOG.debug("housekeeping lock connection check failed", e);
            }
            LOG.warn("lost the housekeeping lock: its database connection broke");
            closeQuietly(holder);
            holder = null;
        }
        Connection c = null;
        try {
            c = dataSource.getConnection();
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement("select pg_try_advisory_lock(?)")) {
                ps.setLong(1, KEY);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        holder = c;
                        LOG.info("this coordinator now runs housekeeping (it holds the advisory lock)");
                        return true;
                    }
                }
            }
        } catch (SQLException e) {
            LOG.warn("could not ask for the housekeeping lock: {}", e.getMessage());
        }
        closeQuietly(c);
        return false;
    }

    private static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException e) {
            LOG.debug("closing a connection failed", e);
        }
    }

    /** Releases the lock (by ending its session's use of it) so another coordinator can lead at once. */
    @Override
    public synchronized void close() {
        closed = true;
        if (holder != null) {
            try (PreparedStatement ps = holder.prepareStatement("select pg_advisory_unlock(?)")) {
                ps.setLong(1, KEY);
                ps.executeQuery().close();
            } catch (SQLException e) {
                LOG.debug("advisory unlock failed; the session's end releases it", e);
            }
            closeQuietly(holder);
            holder = null;
        }
    }
}
