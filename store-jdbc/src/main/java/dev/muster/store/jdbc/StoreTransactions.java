package dev.muster.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each call of the store as one transaction, with the retry rules: serialisation failures,
 * deadlocks and lost races are retried; a connection that turns out broken before commit (it died
 * in the pool, as after a database restart) is evicted and the work tried once more on a fresh
 * one; an outage otherwise fails the call at once (see {@link Availability}), so a call during an
 * outage answers within the pool's connection timeout, and while the pool cannot connect at all,
 * all calls but one answer at once. Where the database takes one writer at a time (SQLite) write
 * transactions queue here, fairly, instead of in the database's busy handler.
 */
final class StoreTransactions implements Transactions {
    private static final Logger LOG = LoggerFactory.getLogger(StoreTransactions.class);
    private static final int MAX_TX_ATTEMPTS = 8;
    /** Longest wait for the single writer (SQLite), like H2's and PostgreSQL's lock waits. */
    private static final int WRITER_WAIT_SECONDS = 10;

    private final DataSource dataSource;
    private final Dialect dialect;
    private final Availability availability;
    /** The SQLite file, whose disappearance is an outage (see {@link SqliteFile#intact()}); null elsewhere. */
    private final SqliteFile file;
    /** Forces the database file to the disk after every write transaction (H2, see {@link JdbcStore#open(java.util.Map)}). */
    private final boolean syncEachTransaction;
    /** Runs write transactions one at a time where the database allows one writer only (SQLite). */
    private final ReentrantLock writer = new ReentrantLock(true);
    private volatile boolean closed;

    StoreTransactions(DataSource dataSource, Dialect dialect, Availability availability, SqliteFile file,
                      boolean syncEachTransaction) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.availability = availability;
        this.file = file;
        this.syncEachTransaction = syncEachTransaction;
    }

    @Override
    public <T> T write(String what, Work<T> work) {
        return run(what, true, work);
    }

    /** Like {@link #write}, for work that only reads: it writes nothing, so there is nothing to force. */
    @Override
    public <T> T read(String what, Work<T> work) {
        return run(what, false, work);
    }

    /** Refuses every transaction from now on. */
    void close() {
        closed = true;
    }

    /** @return whether {@link #close()} was called */
    boolean closed() {
        return closed;
    }

    private <T> T run(String what, boolean writes, Work<T> work) {
        if (closed) {
            throw new IllegalStateException("jdbc store is closed");
        }
        SQLException last = null;
        boolean freshTried = false;
        for (int attempt = 1; attempt <= MAX_TX_ATTEMPTS; attempt++) {
            boolean locked = writes && dialect.oneWriter() && lockWriter(what);
            try {
                Availability.Admission admission = availability.admit();
                if (admission == Availability.Admission.REFUSE) {
                    throw availability.refuse(what);
                }
                if (writes && file != null && !file.intact()) {
                    // Commits would go to a file no restart will find: refuse them, as for a lost disk.
                    throw availability.failed(what, new SQLException("the database file " + file.database()
                            + " was deleted or replaced under the running store"), Availability.Kind.OUTAGE, false);
                }
                Connection c;
                try {
                    c = dataSource.getConnection();
                } catch (SQLException e) {
                    Availability.Kind kind = availability.ofPoolFailure(e);
                    availability.connecting(admission, false, kind == Availability.Kind.OUTAGE);
                    throw availability.failed(what, e, kind, false);
                } catch (RuntimeException | Error e) {
                    availability.connecting(admission, false, false);
                    throw e;
                }
                availability.connecting(admission, true, false);
                boolean committing = false;
                try {
                    if (c.getAutoCommit()) {
                        c.setAutoCommit(false);
                    }
                    T result = work.run(c);
                    committing = true;
                    c.commit();
                    if (writes && syncEachTransaction) {
                        dialect.forceToDisk(c);
                    }
                    availability.succeeded();
                    return result;
                } catch (SQLException e) {
                    last = e;
                    Availability.Kind kind = Availability.classify(e);
                    if (kind == Availability.Kind.OUTAGE && Availability.breaksConnection(e)) {
                        availability.evict(c);
                        if (committing || freshTried) {
                            throw availability.failed(what, e, kind, committing);
                        }
                        freshTried = true;
                        continue;
                    }
                    rollbackQuietly(c);
                    if (kind != Availability.Kind.FAULT) {
                        // Load or an outage a new connection would not help with (a full disk).
                        throw availability.failed(what, e, kind, committing);
                    }
                    if (!retryable(e)) {
                        throw availability.failed(what, e, kind, committing);
                    }
                    LOG.debug("{} hit {} (SQLState {}); retrying, attempt {}", what, e.getMessage(), e.getSQLState(),
                            attempt);
                } catch (RuntimeException | Error e) {
                    rollbackQuietly(c);
                    throw e;
                } finally {
                    closeQuietly(c);
                }
            } finally {
                if (locked) {
                    writer.unlock();
                }
            }
        }
        // Lost races and serialisation failures every time are contention: load, not a fault.
        throw availability.failed(what, last, retryable(last) ? Availability.Kind.BUSY : Availability.classify(last),
                false);
    }

    /**
     * Waits for the single writer's turn, as long as a lock would be waited for on the other
     * databases; a call that waits longer fails as busy.
     */
    private boolean lockWriter(String what) {
        try {
            if (writer.tryLock(WRITER_WAIT_SECONDS, TimeUnit.SECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw availability.failed(what, new java.sql.SQLTimeoutException(
                "waited " + WRITER_WAIT_SECONDS + " s for the store's writer"), Availability.Kind.BUSY, false);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            LOG.debug("closing a connection failed", e);
        }
    }

    /**
     * Rolls back, and if even that fails, takes the connection out of the pool: its state is no
     * longer known. (After a commit that failed on a full disk SQLite has already rolled back, the
     * rollback fails, and the driver no longer opens a transaction on the connection.)
     */
    private void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.debug("rollback failed; the connection is discarded", e);
            availability.discard(c);
        }
    }

    /**
     * Serialisation failures and deadlocks are worth retrying, and so is a unique violation:
     * the transaction raced another that inserted the same row, and a retry sees that row.
     */
    private static boolean retryable(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            String state = x.getSQLState();
            if (state != null && (state.equals("40001") || state.equals("40P01") || state.equals("23505"))) {
                return true;
            }
        }
        return false;
    }
}
