package dev.muster.store.jdbc;

import dev.muster.spi.StoreUnavailableException;
import dev.muster.spi.store.StoreHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The store's health: a timed write to the health row in {@code muster_health}, which nothing else writes. */
final class HealthCheck {
    private static final Logger LOG = LoggerFactory.getLogger(HealthCheck.class);
    /** Longest wait for the health check's statement, once it has a connection. */
    private static final int TIMEOUT_SECONDS = 2;

    private final StoreTransactions transactions;
    private final Availability availability;

    HealthCheck(StoreTransactions transactions, Availability availability) {
        this.transactions = transactions;
        this.availability = availability;
    }

    /** Commits a write to the health row, within {@link #TIMEOUT_SECONDS}. */
    void writeRow(String what) {
        transactions.write(what, c -> {
            if (Sql.update(c, "update muster_health set checked_at = ? where id = 1", ps -> {
                ps.setQueryTimeout(TIMEOUT_SECONDS);
                ps.setLong(1, System.currentTimeMillis());
            }) == 0) {
                Sql.update(c, "insert into muster_health (id, checked_at) values (1, ?)", ps -> {
                    ps.setQueryTimeout(TIMEOUT_SECONDS);
                    ps.setLong(1, System.currentTimeMillis());
                });
            }
            return null;
        });
    }

    /**
     * Fails now, not at the first call, on a database that takes reads but not writes (a read-only
     * file, a read-only replica); closes the transactions then.
     *
     * @throws StoreUnavailableException if the write fails
     */
    void requireWrites() {
        try {
            writeRow("write to its database");
        } catch (RuntimeException e) {
            transactions.close();
            throw new StoreUnavailableException("the store's database takes no writes: " + e.getMessage(), e);
        }
    }

    /**
     * Commits a write to the health row within {@link #TIMEOUT_SECONDS}: a read alone would pass
     * on a full disk, where H2 opens its file again and only fails, and closes, at the next write.
     * A check that only ran out of time (the pool's connections all in use, a slow commit) is load,
     * not an outage: calls still succeed, and reporting the store unavailable would restart the
     * coordinator's grace period for silent workers on every busy moment.
     */
    StoreHealth check() {
        if (transactions.closed()) {
            return new StoreHealth(false, "the store is closed", availability.outages());
        }
        try {
            writeRow("check its health");
            return new StoreHealth(true, null, availability.outages());
        } catch (StoreUnavailableException e) {
            if (availability.down()) {
                LOG.debug("store health check failed", e);
                return new StoreHealth(false, "the store's database is unavailable", availability.outages());
            }
            LOG.debug("store health check ran out of time; the store is busy, not unavailable", e);
            return new StoreHealth(true, null, availability.outages());
        } catch (RuntimeException e) {
            LOG.debug("store health check failed", e);
            return new StoreHealth(false, "the store's health check failed", availability.outages());
        }
    }
}
