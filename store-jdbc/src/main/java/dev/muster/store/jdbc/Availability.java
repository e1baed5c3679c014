package dev.muster.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;
import dev.muster.spi.MusterException;
import dev.muster.spi.StoreFailedException;
import dev.muster.spi.StoreUnavailableException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells failures of the database itself from failures of one statement, keeps track of outages,
 * and turns failures into exceptions fit for clients.
 *
 * <p>An outage is a failure that says nothing about the call: the database is unreachable
 * (PostgreSQL SQLState class 08, a server shutting down, a pool that failed to connect), out of
 * resources (class 53: disk full, too many connections; SQLite's {@code SQLITE_FULL}), its file
 * failing (SQLite's I/O, read-only and corruption codes), or closed (H2 closes a database for
 * good after a write fails, as on a full disk, and answers 90098 on every connection to it).
 * Running out of time is not an outage but load ({@link Kind#BUSY}): a pool whose connections are
 * all in use, a lock timeout, a statement timeout. Such a call fails alone; marking the store
 * down, evicting the pool or counting an outage (which restarts the coordinator's grace period
 * for silent workers) would make overload worse. A failure that breaks the connection
 * ({@link #breaksConnection}) evicts it from the pool, so the next call gets a new one: to PostgreSQL once it is back, and for H2 a new connection opens the
 * database file again, which is how an embedded store recovers without a restart. Eviction is
 * done here, quietly; HikariCP is told not to evict these itself, because it would log a stack
 * trace for every connection, and on a full disk every call opens one.
 *
 * <p>While the pool cannot get a connection at all (the server is down or unreachable), a call
 * would wait the pool's whole connection timeout, holding a server thread, only to fail; with
 * many workers that starves the transport's threads, liveness probes included. So then one call
 * at a time goes ahead to try (and finds the database back as soon as it is), and the others
 * fail at once with the same answer.
 *
 * <p>The server log gets one WARN when an outage begins (with the driver's message, no stack
 * trace) and one INFO when a call succeeds again; calls in between log at DEBUG. A database
 * that flaps (on a full disk reads succeed and every write fails) would log a pair per write, so
 * an outage that begins within {@link #QUIET_NANOS} of the last logged one is logged at DEBUG,
 * and so is its end. Clients get a plain message and never the driver's, which may hold SQL and
 * class names.
 *
 * <p>Thread-safe.
 */
final class Availability {
    private static final Logger LOG = LoggerFactory.getLogger(Availability.class);
    /** H2 error codes that mean the database file cannot be used: closed, I/O error, disk full, shutting down. */
    private static final Set<Integer> H2_UNAVAILABLE = Set.of(90098, 90028, 90031, 90100, 90121);
    /** PostgreSQL states outside class 08 that mean the server cannot serve: shutting down or starting, an I/O error. */
    private static final Set<String> PG_UNAVAILABLE = Set.of("57P01", "57P02", "57P03", "58030");
    /** PostgreSQL states that end the server's connections: shutting down or starting. */
    private static final Set<String> PG_SERVER_GONE = Set.of("57P01", "57P02", "57P03");
    /** PostgreSQL states for a call that ran out of time: a lock not granted in time, a statement cancelled by its timeout. */
    private static final Set<String> PG_BUSY = Set.of("55P03", "57014");
    /**
     * SQLite's primary result codes (the driver's error code) that mean the file cannot be used:
     * read-only, I/O error, corrupt, disk full, cannot open, not a database.
     */
    private static final Set<Integer> SQLITE_UNAVAILABLE = Set.of(8, 10, 11, 13, 14, 26);
    /** Of those, the ones after which a connection is not to be trusted: all but a full disk. */
    private static final Set<Integer> SQLITE_BROKEN = Set.of(8, 10, 11, 14, 26);
    /** SQLite's "database is busy" and "table is locked": another writer held on past the busy timeout. */
    private static final Set<Integer> SQLITE_BUSY = Set.of(5, 6);
    /** H2's "timeout trying to lock table". */
    private static final int H2_LOCK_TIMEOUT = 50200;

    private final DataSource dataSource;
    private final AtomicLong outages = new AtomicLong();
    private final AtomicLong failedCalls = new AtomicLong();
    /** Outages that begin this soon after the last one logged at WARN are logged at DEBUG. */
    static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(30);

    private volatile boolean down;
    private volatile long downSince;
    /** Set when the pool could not give a connection; cleared when it gives one. */
    private volatile boolean unreachable;
    private final java.util.concurrent.atomic.AtomicBoolean trying = new java.util.concurrent.atomic.AtomicBoolean();
    private final AtomicLong refused = new AtomicLong();
    /** Guarded by this. */
    private boolean downLogged;
    private long lastWarned;
    private boolean warnedOnce;

    Availability(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** What a failure says about the database. */
    enum Kind {
        /** The database cannot serve: unreachable, closed, out of resources. */
        OUTAGE,
        /**
         * The database is there but the call ran out of time: no free connection in the pool, a
         * lock held too long by another transaction (H2 50200, PostgreSQL 55P03) or a statement
         * cancelled by its timeout (PostgreSQL 57014, any {@link SQLTimeoutException}). Load, not
         * an outage: the call fails alone and the next one goes ahead.
         */
        BUSY,
        /** This call's own failure: a bug, or a value the database refused. */
        FAULT
    }

    /** @return what a statement's failure says about the database (not for the pool's; see {@link #ofPoolFailure}) */
    static Kind classify(SQLException e) {
        boolean busy = false;
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if (x instanceof SQLTransientConnectionException || x instanceof SQLNonTransientConnectionException
                    || x instanceof SQLRecoverableException) {
                return Kind.OUTAGE;
            }
            String state = x.getSQLState();
            if (state != null && (state.startsWith("08") || state.startsWith("53") || PG_UNAVAILABLE.contains(state))) {
                return Kind.OUTAGE;
            }
            if (H2_UNAVAILABLE.contains(x.getErrorCode())) {
                return Kind.OUTAGE;
            }
            boolean sqlite = x instanceof org.sqlite.SQLiteException;
            if (causedByIo(x) || (sqlite && SQLITE_UNAVAILABLE.contains(x.getErrorCode()))) {
                return Kind.OUTAGE;
            }
            busy |= x instanceof SQLTimeoutException || (state != null && PG_BUSY.contains(state))
                    || x.getErrorCode() == H2_LOCK_TIMEOUT || (sqlite && SQLITE_BUSY.contains(x.getErrorCode()));
        }
        return busy ? Kind.BUSY : Kind.FAULT;
    }

    /** @return whether {@code e} is a failure of the database rather than of the statement or of load */
    static boolean isOutage(SQLException e) {
        return classify(e) == Kind.OUTAGE;
    }

    /**
     * @return whether {@code e} means the connection it came from is broken (SQLState class 08, a
     *         PostgreSQL server shutting down, an H2 database closed or failing to write), so it
     *         and the pool's other connections are to be replaced; a full disk on PostgreSQL or a
     *         timeout leaves connections fine, and replacing them all would only add load
     */
    static boolean breaksConnection(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if (x instanceof SQLNonTransientConnectionException || x instanceof SQLRecoverableException) {
                return true;
            }
            String state = x.getSQLState();
            if (state != null && (state.startsWith("08") || PG_SERVER_GONE.contains(state))) {
                return true;
            }
            if (H2_UNAVAILABLE.contains(x.getErrorCode()) || causedByIo(x)) {
                return true;
            }
            if (x instanceof org.sqlite.SQLiteException && SQLITE_BROKEN.contains(x.getErrorCode())) {
                return true;
            }
        }
        return false;
    }

    /** H2 reports a failed write to its file as a general error (50000) caused by an I/O error. */
    private static boolean causedByIo(SQLException x) {
        for (Throwable t = x.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Tells a pool that could not give a connection in time because the database is gone from one
     * that is only saturated. HikariCP's timeout carries the last failure to connect as its cause
     * when there was one, and none while every connection is merely busy; a pool with no
     * connections at all cannot be busy either.
     *
     * @param e what {@link DataSource#getConnection()} threw
     * @return {@link Kind#OUTAGE} or {@link Kind#BUSY}
     */
    Kind ofPoolFailure(SQLException e) {
        if (!(e instanceof SQLTransientConnectionException)) {
            // Not the pool's timeout: the driver's own answer, passed through.
            Kind kind = classify(e);
            return kind == Kind.FAULT ? Kind.OUTAGE : kind;
        }
        if (e.getCause() != null) {
            return Kind.OUTAGE;
        }
        if (dataSource instanceof HikariDataSource pool && pool.getHikariPoolMXBean() != null
                && pool.getHikariPoolMXBean().getTotalConnections() == 0) {
            return Kind.OUTAGE;
        }
        return dataSource instanceof HikariDataSource ? Kind.BUSY : Kind.OUTAGE;
    }

    /**
     * Tells HikariCP not to evict (and log) connections for outages, {@link #evict} does that, nor
     * for timeouts: HikariCP evicts a connection on any {@link SQLTimeoutException}, which H2
     * raises for a lock timeout, and a connection that waited for a lock is fine. Other failures
     * get HikariCP's own judgement.
     */
    static SQLExceptionOverride quietEviction() {
        return new SQLExceptionOverride() {
            @java.lang.Override
            public SQLExceptionOverride.Override adjudicate(SQLException e) {
                return classify(e) != Kind.FAULT ? SQLExceptionOverride.Override.DO_NOT_EVICT
                        : SQLExceptionOverride.Override.CONTINUE_EVICT;
            }
        };
    }

    /**
     * Removes a connection that failed with a broken connection ({@link #breaksConnection}) from the pool, and the pool's other
     * connections with it (idle ones now, busy ones when they come back): a server restart or an
     * H2 database that closed itself breaks them all, and a call should not meet one of them.
     */
    void evict(Connection c) {
        if (dataSource instanceof HikariDataSource pool) {
            pool.evictConnection(c);
            if (pool.getHikariPoolMXBean() != null) {
                pool.getHikariPoolMXBean().softEvictConnections();
            }
            return;
        }
        // A pool of the caller's: end the connection the standard way and let the pool notice.
        try {
            c.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            LOG.debug("aborting a broken connection failed", e);
        }
    }

    /** Removes one connection from the pool, whose state is in doubt, leaving the others. */
    void discard(Connection c) {
        if (dataSource instanceof HikariDataSource pool) {
            pool.evictConnection(c);
            return;
        }
        try {
            c.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            LOG.debug("aborting a connection in doubt failed", e);
        }
    }

    /** What {@link #admit} says a call may do. */
    enum Admission { GO, TRY, REFUSE }

    /**
     * Asks whether a call may ask the pool for a connection. A call admitted reports how that
     * went with {@link #connecting}.
     */
    Admission admit() {
        if (!unreachable) {
            return Admission.GO;
        }
        return trying.compareAndSet(false, true) ? Admission.TRY : Admission.REFUSE;
    }

    /**
     * Records how an admitted call's request for a connection went.
     *
     * @param admission what {@link #admit} said to the call
     * @param got       whether the pool gave a connection
     * @param outage    whether it failed for an outage (the pool could not connect in time)
     */
    void connecting(Admission admission, boolean got, boolean outage) {
        if (got) {
            if (unreachable) {
                unreachable = false;
            }
        } else if (outage) {
            unreachable = true;
        }
        if (admission == Admission.TRY) {
            trying.set(false);
        }
    }

    /** @return the exception for a call refused while another tries to reach the database */
    StoreUnavailableException refuse(String what) {
        failedCalls.incrementAndGet();
        refused.incrementAndGet();
        return new StoreUnavailableException("the store's database is unavailable, so it could not " + what
                + "; nothing was changed, try again later", null);
    }

    /** @return how many calls were refused without trying since the store opened */
    long refused() {
        return refused.get();
    }

    /** A call succeeded: ends an outage, if there was one. */
    void succeeded() {
        if (!down) {
            return;
        }
        synchronized (this) {
            if (!down) {
                return;
            }
            down = false;
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downSince);
            long failed = failedCalls.getAndSet(0);
            if (downLogged) {
                LOG.info("the store's database is available again after {} ms; {} calls failed meanwhile", millis,
                        failed);
            } else {
                LOG.debug("the store's database is available again after {} ms; {} calls failed meanwhile", millis,
                        failed);
            }
        }
    }

    /**
     * Records a failed call and makes the exception its caller throws: for an outage or load,
     * {@link StoreUnavailableException} (503, try again later); for a failure of the call itself,
     * {@link StoreFailedException} (500).
     *
     * @param what     what the call did, in words for clients ("record results")
     * @param e        the failure
     * @param kind     what the failure says about the database
     * @param inDoubt  whether the failure came while committing, so the call may have taken effect
     * @return the exception to throw, with a plain message and {@code e} as its cause
     */
    MusterException failed(String what, SQLException e, Kind kind, boolean inDoubt) {
        if (kind == Kind.BUSY) {
            // Load: the database is there, so no outage, no eviction, and the next call goes ahead.
            LOG.debug("the store could not {} in time: {}", what, firstLine(e));
            return new StoreUnavailableException(inDoubt ? "the store timed out while it committed the call to "
                    + what + ", which may or may not have taken effect; try again later"
                    : "the store is busy and could not " + what + " in time; nothing was changed, try again later", e);
        }
        if (kind == Kind.FAULT) {
            // A failure of this call alone (a bug, or a value the database refused): a server
            // fault, worth a line each time, but not an outage; the driver's message stays in the log.
            LOG.warn("the store could not {}: SQLState {}, error {}: {}", what, e.getSQLState(), e.getErrorCode(),
                    firstLine(e));
            LOG.debug("the store could not {}", what, e);
            return new StoreFailedException(inDoubt ? "the store failed while it committed the call to " + what
                    + ", which may or may not have taken effect" : "the store failed to " + what
                    + "; nothing was changed", e);
        }
        failedCalls.incrementAndGet();
        boolean warn = false;
        if (!down) {
            synchronized (this) {
                if (!down) {
                    down = true;
                    downSince = System.nanoTime();
                    outages.incrementAndGet();
                    warn = !warnedOnce || downSince - lastWarned >= QUIET_NANOS;
                    downLogged = warn;
                    if (warn) {
                        warnedOnce = true;
                        lastWarned = downSince;
                    }
                }
            }
        }
        if (warn) {
            LOG.warn("the store's database is unavailable (SQLState {}, error {}: {}); calls answer 'store "
                    + "unavailable' until it is back", e.getSQLState(), e.getErrorCode(), firstLine(e));
        } else {
            LOG.debug("the store could not {}: {}", what, firstLine(e));
        }
        if (inDoubt) {
            return new StoreUnavailableException("the store's database became unavailable while it committed the "
                    + "call to " + what + ", which may or may not have taken effect; try again later", e);
        }
        return new StoreUnavailableException("the store's database is unavailable, so it could not " + what
                + "; nothing was changed, try again later", e);
    }

    /** @return whether the last call failed with an outage and none has succeeded since */
    boolean down() {
        return down;
    }

    /** @return how many outages began since the store opened */
    long outages() {
        return outages.get();
    }

    /** @return the failure's first line, and its root cause's (a pool's timeout hides why it could not connect) */
    private static String firstLine(SQLException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String line = firstLine(e.getMessage());
        return root == e ? line : line + "; cause: " + firstLine(root.getMessage());
    }

    private static String firstLine(String message) {
        String m = String.valueOf(message);
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
