package dev.muster.store.jdbc;

import dev.muster.spi.ConfigurationException;
import dev.muster.spi.CreditEntry;
import dev.muster.spi.IdempotencyConflictException;
import dev.muster.spi.Job;
import dev.muster.spi.JobId;
import dev.muster.spi.JobQuery;
import dev.muster.spi.JobSpec;
import dev.muster.spi.JobState;
import dev.muster.spi.LeaderboardEntry;
import dev.muster.spi.LeaderboardScope;
import dev.muster.spi.PoolSummary;
import dev.muster.spi.Rejection;
import dev.muster.spi.ReleaseReason;
import dev.muster.spi.StoreUnavailableException;
import dev.muster.spi.TicketRef;
import dev.muster.spi.Worker;
import dev.muster.spi.WorkerId;
import dev.muster.spi.WorkerState;
import dev.muster.spi.policy.StoredResult;
import dev.muster.spi.policy.TrustPolicy;
import dev.muster.spi.store.JobLifecycle;
import dev.muster.spi.store.Lease;
import dev.muster.spi.store.LeaseRecord;
import dev.muster.spi.store.LeaseRequest;
import dev.muster.spi.store.LeasedJob;
import dev.muster.spi.store.NewJob;
import dev.muster.spi.store.Released;
import dev.muster.spi.store.ResultOutcome;
import dev.muster.spi.store.ResultRecord;
import dev.muster.spi.store.Store;
import dev.muster.spi.store.StoreHealth;
import dev.muster.spi.store.Submitted;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Store} on a relational database (PostgreSQL, or SQLite or H2 embedded): durable, and
 * shareable by several coordinators on one PostgreSQL database. On SQLite, which takes one write
 * transaction at a time, the store queues its write transactions itself and lets reads run
 * beside them (the write-ahead log keeps readers and the writer apart).
 *
 * <p>Every call is one transaction. The rules of the store contract are held by the database,
 * not by this process: a job's row lock serialises everything that changes the job and its
 * replicas, leasing takes waiting jobs with {@code FOR UPDATE SKIP LOCKED} so that coordinators
 * never queue behind each other, and unique constraints make "one replica per worker (and, when
 * asked, per owner) per job", idempotency keys and "credit once per replica" hold even if a bug
 * let two transactions try. Transactions that lock several jobs lock them in id order, so they
 * cannot deadlock; one that fails on a serialisation failure or deadlock is retried.
 *
 * <p>Calls work on batches and keep round trips per batch constant: a lease of 64 jobs or a
 * report of 64 results is a handful of statements, not a few per job.
 *
 * <p>The queue is served by priority, then by a per-submitter tag that alternates submitters
 * (see the schema), then by id. Retried replicas keep their job's tag, so they are served
 * before younger jobs of their submitter.
 */
public final class JdbcStore implements Store {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcStore.class);
    private static final int SHARDS = 16;
    private static final int MAX_TX_ATTEMPTS = 8;
    /** Longest wait for the health check's statement, once it has a connection. */
    private static final int HEALTH_TIMEOUT_SECONDS = 2;
    private static final int MAX_IN_LIST = 10_000;
    /** Longest wait for the single writer (SQLite), like H2's and PostgreSQL's lock waits. */
    private static final int WRITER_WAIT_SECONDS = 10;
    private static final String JOB_COLUMNS = "id, submitter, type, payload, media_type, seed, priority, class_id,"
            + " timeout_ms, max_attempts, idempotency_key, digest, payload_digest, state, replicas_wanted, attempts,"
            + " open_replicas, next_replica, submitted_ns, finished_ns, accepted_digest, failure_reason";
    private static final String REPLICA_COLUMNS = "job_id, replica, worker_id, owner, leased_ns, deadline_ns,"
            + " answered_ns, result_digest, result, metadata, valid, invalid_reason, claimed_credit";

    private final DataSource dataSource;
    private final JobLifecycle lifecycle;
    private final AutoCloseable ownedPool;
    private final Dialect dialect;
    private final HousekeepingLock housekeeping;
    private final Availability availability;
    private final RejectionTable rejectionTable;
    private final WorkerTable workerTable;
    private final CreditLedger ledger;
    /** The SQLite file, whose disappearance is an outage (see {@link SqliteFile#intact()}); null elsewhere. */
    private final SqliteFile file;
    /** Forces H2's file to the disk after every transaction (see {@link #open(Map)}). */
    private final boolean syncEachTransaction;
    private final RequirementClasses requirementClasses;
    private final java.util.concurrent.ExecutorService analyzer;
    private final AtomicLong changedSinceAnalyze = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicBoolean analyzing = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile long rowsAtAnalyze;
    /**
     * Runs write transactions one at a time where the database allows one writer only (SQLite):
     * waiting here is a fair queue, where SQLite's own busy handler would poll and sleep.
     */
    private final java.util.concurrent.locks.ReentrantLock writer = new java.util.concurrent.locks.ReentrantLock(true);
    /** Serialises leasing where the database cannot skip locked rows cheaply (H2, SQLite). */
    private final java.util.concurrent.locks.ReentrantLock leaseLock = new java.util.concurrent.locks.ReentrantLock();
    /** Serialises folding credit into the leaderboard where rows cannot be skipped (H2). */
    private volatile boolean closed;

    /**
     * Opens a store on {@code dataSource}, applying schema migrations first.
     *
     * @param dataSource       connections to PostgreSQL or H2; the store sets auto-commit off on them
     * @param ownedPool        closed with the store (the pool the store made), or null
     * @param rejectionLogSize rejection-log entries kept; older ones are deleted
     * @param syncEachTransaction on H2, force the database file to the disk after every transaction
     * @param file             the SQLite file the store holds, checked before every write, or null
     * @throws ConfigurationException if the database is not supported or its schema is newer than this store
     */
    JdbcStore(DataSource dataSource, AutoCloseable ownedPool, int rejectionLogSize, boolean syncEachTransaction,
              SqliteFile file) {
        this(dataSource, ownedPool, rejectionLogSize, syncEachTransaction, file, JobLifecycle.STANDARD);
    }

    /**
     * As the other constructor, applying {@code lifecycle}'s rules to the jobs it holds.
     *
     * @param lifecycle the rules applied to a job while a transaction holds it
     */
    JdbcStore(DataSource dataSource, AutoCloseable ownedPool, int rejectionLogSize, boolean syncEachTransaction,
              SqliteFile file, JobLifecycle lifecycle) {
        this.lifecycle = java.util.Objects.requireNonNull(lifecycle, "lifecycle");
        this.dataSource = dataSource;
        this.file = file;
        this.ownedPool = ownedPool;
        this.rejectionTable = new RejectionTable(transactions, rejectionLogSize);
        this.availability = new Availability(dataSource);
        try (Connection c = dataSource.getConnection()) {
            this.dialect = Dialect.of(c);
            dialect.prepare(c);
            this.syncEachTransaction = syncEachTransaction && dialect == Dialect.H2;
            if (this.syncEachTransaction) {
                // Fails now, not on the first call, if the user may not force the file.
                sync(c);
            }
        } catch (SQLException e) {
            if (syncEachTransaction && "90040".equals(e.getSQLState())) {
                throw new ConfigurationException("store.fsync needs an H2 admin user (the one that created the "
                        + "database), or store.fsync=false: " + e.getMessage());
            }
            throw new StoreUnavailableException("cannot connect to the store's database: " + e.getMessage(), e);
        }
        Migrations.apply(dataSource, dialect);
        this.ledger = new CreditLedger(transactions, dialect);
        this.requirementClasses = new RequirementClasses(transactions, dialect);
        this.workerTable = new WorkerTable(transactions, dialect);
        this.housekeeping = new HousekeepingLock(dataSource, dialect);
        try {
            // A database that takes reads but not writes (a read-only file, a read-only replica)
            // fails now, not at the first call.
            writeHealthRow("write to its database");
        } catch (RuntimeException e) {
            closed = true;
            throw new StoreUnavailableException("the store's database takes no writes: " + e.getMessage(), e);
        }
        if (dialect == Dialect.POSTGRESQL) {
            analyzer = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "muster-store-analyze");
                t.setDaemon(true);
                return t;
            });
        } else {
            analyzer = null;
        }
    }

    // ================================================================ planner statistics

    /**
     * Leasing is fast only while PostgreSQL's planner knows how many jobs wait: with statistics
     * from an emptier table it sorts the whole queue instead of reading the head of the leasing
     * index. Autovacuum looks at a table once a minute at best, which is too late after a bulk
     * submission, so the store itself analyzes its busy tables whenever submissions since the last
     * time reach half the rows then counted (and at least 20,000), on a thread of its own; and at
     * once, before the submission returns, when they reach all of them (at least 10,000).
     */
    private void changed(long rows) {
        if (analyzer == null || closed) {
            return;
        }
        long total = changedSinceAnalyze.addAndGet(rows);
        if (total >= Math.max(10_000, rowsAtAnalyze) && analyzing.compareAndSet(false, true)) {
            // The table more than doubled (a bulk submission): the caller waits for fresh
            // statistics, so the leases that follow do not plan with the old ones.
            changedSinceAnalyze.set(0);
            try {
                analyze();
            } finally {
                analyzing.set(false);
            }
            return;
        }
        if (total >= Math.max(20_000, rowsAtAnalyze / 2) && analyzing.compareAndSet(false, true)) {
            changedSinceAnalyze.set(0);
            try {
                analyzer.execute(() -> {
                    try {
                        analyze();
                    } finally {
                        analyzing.set(false);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                analyzing.set(false);
            }
        }
    }

    private void analyze() {
        try {
            rowsAtAnalyze = tx("analyze the store's tables", c -> {
                try (java.sql.Statement s = c.createStatement()) {
                    s.execute("analyze muster_job, muster_replica, muster_credit");
                    try (ResultSet rs = s.executeQuery(
                            "select greatest(reltuples, 0)::bigint from pg_class where relname = 'muster_job'")) {
                        return rs.next() ? rs.getLong(1) : 0L;
                    }
                }
            });
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.warn("analyzing the store's tables failed; the planner keeps older statistics: {}", e.getMessage());
            }
        }
    }

    /**
     * Opens a store on a {@link DataSource} the caller owns (and closes after the store); applies
     * schema migrations first. Durability is the data source's. On SQLite the store switches the
     * file to WAL mode, and {@code synchronous} is the connections' (SQLite's default,
     * {@code FULL}, survives power loss; {@code NORMAL} a killed process); one store at a time may
     * use the file, which the caller sees to ({@link #open(Map)} locks it). An H2 URL needs
     * {@code WRITE_DELAY=0} for acknowledged calls to survive a killed process, and this store does
     * not force H2's file to the disk ({@link #open(Map)} does both).
     *
     * @param dataSource connections to PostgreSQL, SQLite or H2
     * @return the store
     */
    public static JdbcStore open(DataSource dataSource) {
        return new JdbcStore(dataSource, null, 100_000, false, null);
    }

    /**
     * Opens a store from settings, as the {@code jdbc} store plug-in ({@code store=jdbc} and
     * {@code store.*} properties) does, with a HikariCP connection pool. Settings:
     * <ul>
     *   <li>{@code url} (required): a JDBC URL, {@code jdbc:postgresql://host/db},
     *       {@code jdbc:sqlite:/path/to/muster.db} or {@code jdbc:h2:file:/path/to/muster}. SQLite runs
     *       in WAL mode with {@code synchronous=FULL} (see {@code fsync}) and a 10 s busy timeout; its
     *       directory is created if missing, and the store locks the file ({@code <file>.lock}) so that
     *       one coordinator uses it at a time. An acknowledged call survives a killed process (see the
     *       design notes, "Embedded store"). H2 URLs get {@code LOCK_TIMEOUT=10000} unless they
     *       set one (the default one second is too short for a busy pool), and {@code WRITE_DELAY=0}
     *       unless they set one: with H2's default of 500 ms a commit returns before it is written to
     *       the file, and a process killed within that delay loses commits it had acknowledged. With
     *       {@code WRITE_DELAY=0} H2 writes every commit to the file before the commit returns. (H2's
     *       recovery after a killed process can still miss recent commits; see the design notes,
     *       "Embedded store".);</li>
     *   <li>{@code fsync} (SQLite and H2): {@code true} (default) forces every commit to the disk
     *       before the call answers, which an operating-system crash or power loss needs on top of
     *       the write; {@code false} leaves the writes to the operating system, which a killed process
     *       does not lose. On SQLite it is {@code synchronous=FULL} or {@code NORMAL}; on H2,
     *       {@code CHECKPOINT SYNC} after every transaction or none, and the user must be an H2 admin
     *       (the user that created the database is). On PostgreSQL the server's {@code fsync} and
     *       {@code synchronous_commit} decide, and this setting is refused;</li>
     *   <li>{@code user}, {@code password}: credentials, if the database wants them;</li>
     *   <li>{@code poolSize}: most connections, default 10 (one more is kept by the coordinator that
     *       runs housekeeping on PostgreSQL);</li>
     *   <li>{@code rejectionLogSize}: rejection-log entries kept, default 100000;</li>
     *   <li>{@code connectionTimeout}: longest wait for a database connection, from 250ms to 60s,
     *       default 2s (a duration such as {@code 2s}, {@code 500ms} or {@code PT2S}). A call while
     *       the database is unreachable fails within this long with
     *       {@link dev.muster.spi.StoreUnavailableException} (HTTP 503), most of them at once;
     *       PostgreSQL connection
     *       attempts get the same timeout, and reads on a connection 5 minutes (PgJDBC's
     *       {@code connectTimeout} and {@code socketTimeout}; a URL parameter of either wins).</li>
     * </ul>
     * The store recovers by itself when the database comes back.
     *
     * @param settings the settings above, keys without the {@code store.} prefix
     * @return the store, which closes its pool when it is closed
     * @throws dev.muster.spi.ConfigurationException for an unknown key, a bad value or an unsupported database
     */
    public static JdbcStore open(Map<String, String> settings) {
        return JdbcStoreSettings.open(settings);
    }

    // ================================================================ transactions

    private final Transactions transactions = new Transactions() {
        @Override
        public <T> T write(String what, Transactions.Work<T> work) {
            return tx(what, true, work);
        }

        @Override
        public <T> T read(String what, Transactions.Work<T> work) {
            return tx(what, false, work);
        }
    };

    /**
     * Runs {@code work} in one transaction. Serialisation failures, deadlocks and lost races are
     * retried; a connection that turns out broken before commit (it died in the pool, as after a
     * database restart) is evicted and the work tried once more on a fresh one; an outage
     * otherwise fails the call at once (see {@link Availability}), so a call during an outage
     * answers within the pool's connection timeout, and while the pool cannot connect at all, all
     * calls but one answer at once.
     */
    private <T> T tx(String what, Transactions.Work<T> work) {
        return tx(what, true, work);
    }

    /** Like {@link #tx}, for work that only reads: it writes nothing, so there is nothing to force. */
    private <T> T read(String what, Transactions.Work<T> work) {
        return tx(what, false, work);
    }

    private <T> T tx(String what, boolean writes, Transactions.Work<T> work) {
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
                    throw availability.failed(what, new java.sql.SQLException("the database file " + file.database()
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
                        sync(c);
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
            if (writer.tryLock(WRITER_WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS)) {
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
     * Forces what H2 has written to the disk. H2 writes a commit to its file before the commit
     * returns (with {@code WRITE_DELAY=0}) but never forces it: that survives a killed process,
     * not a crashed machine. {@code CHECKPOINT SYNC} stores what is unsaved and forces the file.
     */
    private static void sync(Connection c) throws SQLException {
        try (java.sql.Statement s = c.createStatement()) {
            s.execute("checkpoint sync");
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

    private static int shard() {
        return ThreadLocalRandom.current().nextInt(SHARDS);
    }

    /** Adds count deltas, in name order so two transactions never wait on each other's rows in turn. */
    static void addCounts(Connection c, Map<String, Long> deltas) throws SQLException {
        int shard = shard();
        try (PreparedStatement ps = c.prepareStatement("update muster_count set n = n + ? where name = ? and shard = ?")) {
            for (Map.Entry<String, Long> d : new TreeMap<>(deltas).entrySet()) {
                if (d.getValue() != 0) {
                    ps.setLong(1, d.getValue());
                    ps.setString(2, d.getKey());
                    ps.setInt(3, shard);
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    private static final String LEASES = WriteBack.LEASES;

    // ================================================================ codecs

    // ================================================================ workers

    @Override
    public Worker saveWorker(Worker w) {
        return workerTable.save(w);
    }

    @Override
    public Optional<Worker> worker(WorkerId id) {
        return workerTable.find(id);
    }

    @Override
    public boolean touch(WorkerId id, Instant at) {
        return workerTable.touch(id, at);
    }

    @Override
    public Optional<Worker> setWorkerState(WorkerId id, WorkerState state) {
        return workerTable.setState(id, state);
    }

    @Override
    public List<Worker> workers(int offset, int limit) {
        return workerTable.list(offset, limit);
    }

    @Override
    public List<Worker> silentWorkers(WorkerState state, Instant cutoff, int limit) {
        return workerTable.silent(state, cutoff, limit);
    }

    // ================================================================ jobs

    private JobRow jobRow(ResultSet rs) throws SQLException {
        int classId = rs.getInt("class_id");
        return JobRow.read(rs, classId, requirementClasses.requirements(rs.getStatement().getConnection(), classId));
    }

    @Override
    public List<Submitted> submit(List<NewJob> newJobs) {
        if (newJobs.isEmpty()) {
            return List.of();
        }
        int[] classOf = new int[newJobs.size()];
        for (int i = 0; i < newJobs.size(); i++) {
            classOf[i] = requirementClasses.id(newJobs.get(i).spec().requirements());
        }
        List<Submitted> out = tx("submit jobs", c -> submit(c, newJobs, classOf));
        changed(out.stream().filter(Submitted::created).count());
        return out;
    }

    private List<Submitted> submit(Connection c, List<NewJob> newJobs, int[] classOf) throws SQLException {
        int size = newJobs.size();
        // Earlier jobs with the same (submitter, dedup key), and duplicates within the batch.
        Map<String, Map<String, JobRow>> earlier = new HashMap<>();
        Map<String, List<String>> keysBySubmitter = new LinkedHashMap<>();
        for (NewJob n : newJobs) {
            keysBySubmitter.computeIfAbsent(n.spec().submitter(), k -> new ArrayList<>()).add(n.dedupKey());
        }
        for (Map.Entry<String, List<String>> e : keysBySubmitter.entrySet()) {
            Map<String, JobRow> found = new HashMap<>();
            List<String> keys = e.getValue();
            for (int from = 0; from < keys.size(); from += MAX_IN_LIST) {
                List<String> chunk = keys.subList(from, Math.min(keys.size(), from + MAX_IN_LIST));
                // A join on the array, not "= any": H2 would use the index for the submitter only.
                try (PreparedStatement ps = c.prepareStatement("select j.dedup_key, j." + JOB_COLUMNS.replace(", ", ", j.")
                        + " from " + dialect.stringsJoin + " muster_job j"
                        + " on j.submitter = ? and j.dedup_key = u.k")) {
                    dialect.bindStrings(ps, 1, chunk);
                    ps.setString(2, e.getKey());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            found.put(rs.getString("dedup_key"), jobRow(rs));
                        }
                    }
                }
            }
            earlier.put(e.getKey(), found);
        }
        JobRow[] result = new JobRow[size];
        boolean[] created = new boolean[size];
        Map<String, Integer> firstInBatch = new HashMap<>();
        int fresh = 0;
        for (int i = 0; i < size; i++) {
            NewJob n = newJobs.get(i);
            JobRow prior = earlier.get(n.spec().submitter()).get(n.dedupKey());
            if (prior != null) {
                checkSameContent(n, prior.digest());
                result[i] = prior;
                continue;
            }
            Integer first = firstInBatch.putIfAbsent(n.spec().submitter() + "\n" + n.dedupKey(), i);
            if (first != null) {
                checkSameContent(n, newJobs.get(first).digest());
                continue;
            }
            created[i] = true;
            fresh++;
        }
        if (fresh > 0) {
            long[] ids = dialect.nextJobIds(c, fresh);
            Map<String, Long> tags = tags(c, newJobs, created);
            try (PreparedStatement ps = c.prepareStatement("insert into muster_job (id, submitter, dedup_key, type,"
                    + " payload, media_type, seed, priority, class_id, timeout_ms, max_attempts, idempotency_key,"
                    + " digest, payload_digest, state, replicas_wanted, attempts, open_replicas, next_replica, queued,"
                    + " tag, submitted_ns) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'QUEUED', ?, 0, ?, 0, true,"
                    + " ?, ?)")) {
                int next = 0;
                for (int i = 0; i < size; i++) {
                    if (!created[i]) {
                        continue;
                    }
                    NewJob n = newJobs.get(i);
                    JobSpec s = n.spec();
                    JobRow j = new JobRow(new JobId(ids[next++]), s, n.digest(), n.payloadDigest(), n.replicas(),
                            n.submittedAt(), classOf[i]);
                    result[i] = j;
                    long tag = tags.merge(s.submitter(), 1L, Long::sum);
                    ps.setLong(1, j.key());
                    ps.setString(2, s.submitter());
                    ps.setString(3, n.dedupKey());
                    ps.setString(4, s.type());
                    ps.setBytes(5, s.payload());
                    ps.setString(6, s.mediaType());
                    ps.setLong(7, s.seed());
                    ps.setInt(8, s.priority());
                    ps.setInt(9, j.classId);
                    ps.setLong(10, s.timeout().toMillis());
                    ps.setInt(11, s.maxAttempts());
                    ps.setString(12, s.idempotencyKey());
                    ps.setString(13, n.digest());
                    ps.setString(14, n.payloadDigest());
                    ps.setInt(15, n.replicas());
                    ps.setInt(16, n.replicas());
                    ps.setLong(17, tag);
                    ps.setLong(18, Nanos.of(n.submittedAt()));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("update muster_submitter set last_tag = ? where name = ?")) {
                for (Map.Entry<String, Long> t : new TreeMap<>(tags).entrySet()) {
                    ps.setLong(1, t.getValue());
                    ps.setString(2, t.getKey());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            addCounts(c, Map.of(JobState.QUEUED.name(), (long) fresh));
        }
        List<Submitted> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            if (result[i] == null) {
                NewJob n = newJobs.get(i);
                result[i] = result[firstInBatch.get(n.spec().submitter() + "\n" + n.dedupKey())];
            }
            out.add(new Submitted(result[i].snapshot(), created[i]));
        }
        return out;
    }

    private static void checkSameContent(NewJob n, String earlierDigest) {
        if (n.spec().idempotencyKey() != null && !earlierDigest.equals(n.digest())) {
            throw new IdempotencyConflictException("idempotency key '" + n.spec().idempotencyKey()
                    + "' of submitter '" + n.spec().submitter() + "' already names a job with digest "
                    + earlierDigest + ", not " + n.digest());
        }
    }

    /**
     * Locks each submitter of the batch (in name order) and returns the tag its next job follows:
     * its last tag, or the tag at the head of the queue if it has fallen behind, so a submitter
     * returning after a pause takes turns with the others instead of jumping ahead of them all.
     */
    private Map<String, Long> tags(Connection c, List<NewJob> jobs, boolean[] created) throws SQLException {
        TreeSet<String> submitters = new TreeSet<>();
        for (int i = 0; i < jobs.size(); i++) {
            if (created[i]) {
                submitters.add(jobs.get(i).spec().submitter());
            }
        }
        long head = 0;
        try (PreparedStatement ps = c.prepareStatement(
                "select tag from muster_job where queued = true order by " + dialect.readyOrder
                        + " limit 1")) {
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    head = rs.getLong(1) - 1;
                }
            }
        }
        Map<String, Long> out = new HashMap<>();
        try (PreparedStatement ensure = c.prepareStatement(dialect.ensureSubmitter);
             PreparedStatement lock = c.prepareStatement(
                     "select last_tag from muster_submitter where name = ?" + dialect.forUpdate)) {
            for (String s : submitters) {
                ensure.setString(1, s);
                ensure.executeUpdate();
                lock.setString(1, s);
                try (ResultSet rs = lock.executeQuery()) {
                    rs.next();
                    out.put(s, Math.max(rs.getLong(1), head));
                }
            }
        }
        return out;
    }

    @Override
    public Optional<Job> job(JobId id) {
        return read("read a job", c -> {
            try (PreparedStatement ps = c.prepareStatement("select " + JOB_COLUMNS + " from muster_job where id = ?")) {
                ps.setLong(1, id.value());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(jobRow(rs).snapshot()) : Optional.empty();
                }
            }
        });
    }

    @Override
    public Map<JobId, Job> jobsById(java.util.Collection<JobId> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return read("read jobs", c -> {
            Map<JobId, Job> out = new HashMap<>(ids.size() * 2);
            try (PreparedStatement ps = c.prepareStatement("select " + JOB_COLUMNS
                    + " from muster_job where " + dialect.any("id"))) {
                dialect.bindLongs(ps, 1, ids.stream().mapToLong(JobId::value).distinct().toArray());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Job j = jobRow(rs).snapshot();
                        out.put(j.id(), j);
                    }
                }
            }
            return out;
        });
    }

    @Override
    public List<Job> jobs(JobQuery q) {
        return read("list jobs", c -> {
            // No bound on the ids scanned: the (submitter, id) and (state, id) indexes find matches
            // in id order, so a page is short only at the end, whatever lies between.
            StringBuilder sql = new StringBuilder("select " + JOB_COLUMNS + " from muster_job where id > ?");
            List<Object> args = new ArrayList<>();
            args.add(q.after());
            if (q.submitter() != null) {
                sql.append(" and submitter = ?");
                args.add(q.submitter());
            }
            if (q.state() != null) {
                sql.append(" and state = ?");
                args.add(q.state().name());
            }
            if (q.type() != null) {
                sql.append(" and type = ?");
                args.add(q.type());
            }
            // Ordering by the filtered column first changes nothing (it has one value) but lets H2
            // see that the index is already in order; it sorted every match after the cursor.
            sql.append(q.submitter() != null ? " order by submitter, id" : q.state() != null ? " order by state, id"
                    : " order by id").append(" limit ?");
            args.add(q.limit());
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                List<Job> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(jobRow(rs).snapshot());
                    }
                }
                return out;
            }
        });
    }

    /** Locks jobs in id order and loads them with their replicas. */
    private Map<Long, JobRow> lockJobs(Connection c, long[] ids) throws SQLException {
        long[] sorted = Arrays.stream(ids).distinct().sorted().toArray();
        Map<Long, JobRow> out = new HashMap<>(sorted.length * 2);
        if (sorted.length == 0) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("select " + JOB_COLUMNS
                + " from muster_job where " + dialect.any("id") + " order by id" + dialect.forUpdate)) {
            dialect.bindLongs(ps, 1, sorted);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    JobRow j = jobRow(rs);
                    out.put(j.key(), j);
                }
            }
        }
        if (out.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("select " + REPLICA_COLUMNS
                + " from muster_replica where " + dialect.any("job_id") + " order by answered_ns, replica")) {
            dialect.bindLongs(ps, 1, out.keySet().stream().mapToLong(Long::longValue).toArray());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // Answers come oldest first, as the lifecycle wants them.
                    JobRow j = out.get(rs.getLong("job_id"));
                    StoredResult answer = JobRow.result(rs);
                    if (answer == null) {
                        j.addLease(JobRow.lease(rs));
                    } else {
                        j.addResult(answer);
                    }
                }
            }
        }
        return out;
    }

    @Override
    public Optional<Job> cancel(JobId id, Instant at, String reason) {
        return tx("cancel a job", c -> {
            WriteBack changes = new WriteBack();
            JobRow job = lockJobs(c, new long[] {id.value()}).get(id.value());
            if (job == null) {
                return Optional.empty();
            }
            lifecycle.cancel(job, at, reason, changes);
            changes.flush(c, dialect);
            return Optional.of(job.snapshot());
        });
    }

    // ================================================================ leasing

    @Override
    public List<LeasedJob> lease(LeaseRequest r) {
        if (dialect.skipLocked) {
            return tx("lease jobs", c -> lease(c, r));
        }
        leaseLock.lock();
        try {
            return tx("lease jobs", c -> lease(c, r));
        } finally {
            leaseLock.unlock();
        }
    }

    private List<LeasedJob> lease(Connection c, LeaseRequest r) throws SQLException {
        // The worker's row serialises its own lease calls, so its limit cannot be overshot.
        try (PreparedStatement ps = c.prepareStatement("select id from muster_worker where id = ?" + dialect.forUpdate)) {
            ps.setString(1, r.worker().value());
            ps.executeQuery().close();
        }
        int room = Math.min(r.max(), r.workerLimit() - liveLeases(c, "worker_id", r.worker().value()));
        if (room > 0 && r.ownerLimit() < Integer.MAX_VALUE) {
            try (PreparedStatement ps = c.prepareStatement(dialect.ensureOwner)) {
                ps.setString(1, r.owner());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("select name from muster_owner where name = ?" + dialect.forUpdate)) {
                ps.setString(1, r.owner());
                ps.executeQuery().close();
            }
            room = Math.min(room, r.ownerLimit() - liveLeases(c, "owner", r.owner()));
        }
        if (room <= 0) {
            return List.of();
        }
        List<Integer> compatible = requirementClasses.compatible(c, r.capabilities());
        if (compatible.isEmpty()) {
            return List.of();
        }
        List<JobRow> picked = new ArrayList<>(Math.min(room, 1024));
        // PostgreSQL locks only the rows it returns and skips rows others hold. H2 would lock every
        // row it scans, so there the jobs are found first and locked after, by id; leases are
        // serialised in this process (an embedded H2 has no other), and a job that changed in
        // between is passed over.
        String find = "select " + (dialect.skipLocked ? JOB_COLUMNS : "id") + " from muster_job j"
                + " where j.queued = true and " + dialect.any("j.class_id") + " and not exists (select 1 from muster_replica x"
                + " where x.job_id = j.id and (x.worker_id = ? or x.owner = ?))"
                + " order by " + dialect.readyOrder + " limit ?"
                + (dialect.skipLocked ? dialect.forUpdate + " skip locked" : "");
        long[] found = null;
        try (PreparedStatement ps = c.prepareStatement(find)) {
            dialect.bindInts(ps, 1, compatible);
            ps.setString(2, r.worker().value());
            if (r.distinctOwners()) {
                ps.setString(3, r.owner());
            } else {
                ps.setNull(3, Types.VARCHAR);
            }
            ps.setInt(4, room);
            if (dialect.skipLocked) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        picked.add(jobRow(rs));
                    }
                }
            } else {
                found = longList(ps);
            }
        }
        if (found != null && found.length > 0) {
            Map<Long, JobRow> locked = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("select " + JOB_COLUMNS
                    + " from muster_job where " + dialect.any("id") + " and queued = true order by id" + dialect.forUpdate)) {
                dialect.bindLongs(ps, 1, found);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        JobRow j = jobRow(rs);
                        locked.put(j.key(), j);
                    }
                }
            }
            for (long id : found) {
                JobRow j = locked.get(id);
                if (j != null && j.wantsReplicas()) {
                    picked.add(j);
                }
            }
        }
        if (picked.isEmpty()) {
            return List.of();
        }
        if (r.distinctOwners() && dialect.skipLocked) {
            picked = withoutOwnersReplicas(c, picked, r.owner());
            if (picked.isEmpty()) {
                return List.of();
            }
        }
        Instant now = r.now();
        long nowNanos = Nanos.of(now);
        List<LeasedJob> out = new ArrayList<>(picked.size());
        long wasQueued = 0;
        try (PreparedStatement job = c.prepareStatement("update muster_job set open_replicas = open_replicas - 1,"
                + " next_replica = next_replica + 1, queued = (open_replicas > 1), state = 'RUNNING'"
                + " where " + dialect.any("id"));
             PreparedStatement replica = c.prepareStatement("insert into muster_replica (job_id, replica, worker_id,"
                     + " owner, owner_key, leased_ns, deadline_ns) values (?, ?, ?, ?, ?, ?, ?)")) {
            for (JobRow j : picked) {
                if (j.state() == JobState.QUEUED) {
                    wasQueued++;
                }
                j.takeOpenReplica();
                int number = j.startReplica();
                Instant deadline = now.plus(j.spec().timeout());
                replica.setLong(1, j.key());
                replica.setInt(2, number);
                replica.setString(3, r.worker().value());
                replica.setString(4, r.owner());
                replica.setString(5, r.distinctOwners() ? r.owner() : null);
                replica.setLong(6, nowNanos);
                replica.setLong(7, Nanos.of(deadline));
                replica.addBatch();
                out.add(new LeasedJob(new Lease(j.id(), number, r.worker(), r.owner(), now, deadline),
                        j.snapshot()));
            }
            dialect.bindLongs(job, 1, picked.stream().mapToLong(JobRow::key).toArray());
            job.executeUpdate();
            replica.executeBatch();
        }
        Map<String, Long> counts = new HashMap<>();
        counts.put(LEASES, (long) out.size());
        counts.put(JobState.QUEUED.name(), -wasQueued);
        counts.put(JobState.RUNNING.name(), wasQueued);
        addCounts(c, counts);
        return out;
    }

    /**
     * The finding query judged eligibility on its own snapshot; a job another worker of the same
     * owner leased and committed meanwhile is locked fine but no longer eligible. Now that the
     * jobs are locked, a new statement sees every committed replica. (Without this the unique
     * constraint would refuse the insert and the whole lease would be retried.)
     */
    private List<JobRow> withoutOwnersReplicas(Connection c, List<JobRow> picked, String owner)
            throws SQLException {
        java.util.Set<Long> taken = new java.util.HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select job_id from muster_replica where " + dialect.any("job_id") + " and owner = ?")) {
            dialect.bindLongs(ps, 1, picked.stream().mapToLong(JobRow::key).toArray());
            ps.setString(2, owner);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    taken.add(rs.getLong(1));
                }
            }
        }
        return taken.isEmpty() ? picked : picked.stream().filter(j -> !taken.contains(j.key())).toList();
    }

    private static int liveLeases(Connection c, String column, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select count(*) from muster_replica where " + column + " = ? and deadline_ns is not null")) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Override
    public List<Lease> leases(WorkerId worker) {
        return read("list a worker's leases", c -> {
            try (PreparedStatement ps = c.prepareStatement("select " + REPLICA_COLUMNS
                    + " from muster_replica where worker_id = ? and deadline_ns is not null order by job_id, replica")) {
                ps.setString(1, worker.value());
                List<Lease> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(JobRow.lease(rs).lease());
                    }
                }
                return out;
            }
        });
    }

    @Override
    public List<Released> expireLeases(Instant now, int limit) {
        return tx("expire leases", c -> {
            // Find due leases without locking them, then lock their jobs in id order: a job's lock
            // guards its replicas, and taking locks in one order keeps this from deadlocking with reports.
            long[] jobIds;
            try (PreparedStatement ps = c.prepareStatement("select job_id from muster_replica where deadline_ns < ?"
                    + " order by deadline_ns limit ?")) {
                ps.setLong(1, Nanos.of(now));
                ps.setInt(2, limit);
                jobIds = longList(ps);
            }
            Map<Long, JobRow> jobs = lockJobs(c, jobIds);
            WriteBack changes = new WriteBack();
            List<Released> out = new ArrayList<>();
            for (long id : Arrays.stream(jobIds).distinct().sorted().toArray()) {
                JobRow job = jobs.get(id);
                if (job == null) {
                    continue;
                }
                for (LeaseRecord l : List.copyOf(job.leases())) {
                    if (out.size() < limit && job.leases().contains(l) && l.deadline().isBefore(now)) {
                        out.add(lifecycle.release(job, l, now, "lease of worker " + l.worker() + " expired at "
                                + l.deadline(), changes));
                    }
                }
            }
            changes.flush(c, dialect);
            return out;
        });
    }

    private static long[] longList(PreparedStatement ps) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    @Override
    public List<Released> releaseLeases(WorkerId worker, Instant now, String reason) {
        return tx("release a worker's leases", c -> {
            long[] jobIds;
            try (PreparedStatement ps = c.prepareStatement(
                    "select job_id from muster_replica where worker_id = ? and deadline_ns is not null")) {
                ps.setString(1, worker.value());
                jobIds = longList(ps);
            }
            Map<Long, JobRow> jobs = lockJobs(c, jobIds);
            WriteBack changes = new WriteBack();
            List<Released> out = new ArrayList<>();
            for (long id : Arrays.stream(jobIds).distinct().sorted().toArray()) {
                JobRow job = jobs.get(id);
                if (job == null) {
                    continue;
                }
                for (LeaseRecord l : List.copyOf(job.leases())) {
                    if (l.worker().equals(worker) && job.leases().contains(l)) {
                        out.add(lifecycle.release(job, l, now, "lease of worker " + worker + " released: " + reason,
                                changes));
                    }
                }
            }
            changes.flush(c, dialect);
            return out;
        });
    }

    @Override
    public List<Released> releaseLeases(WorkerId worker, List<TicketRef> tickets, Instant now, ReleaseReason reason) {
        if (tickets.isEmpty()) {
            return List.of();
        }
        return tx("release leases a worker gave up", c -> {
            // Lock only jobs the worker holds a lease on: the list is the caller's, and naming other
            // workers' jobs must not make their reports wait.
            long[] jobIds;
            try (PreparedStatement ps = c.prepareStatement("select job_id from muster_replica where worker_id = ?"
                    + " and deadline_ns is not null and " + dialect.any("job_id"))) {
                ps.setString(1, worker.value());
                dialect.bindLongs(ps, 2, tickets.stream().mapToLong(t -> t.jobId().value()).distinct().toArray());
                jobIds = longList(ps);
            }
            Map<Long, JobRow> jobs = lockJobs(c, jobIds);
            WriteBack changes = new WriteBack();
            List<Released> out = new ArrayList<>();
            for (TicketRef t : tickets) {
                Released r = lifecycle.giveUp(jobs.get(t.jobId().value()), worker, t.replica(), now, reason,
                        changes);
                if (r != null) {
                    out.add(r);
                }
            }
            changes.flush(c, dialect);
            return out;
        });
    }

    // ================================================================ results

    @Override
    public List<ResultOutcome> recordResults(Worker worker, List<ResultRecord> records, List<Rejection> rejections,
                                             Instant now, TrustPolicy policy) {
        if (records.isEmpty() && rejections.isEmpty()) {
            return List.of();
        }
        List<ResultOutcome> outcomes = tx("record results", c -> {
            long[] ids = records.stream().mapToLong(r -> r.report().jobId().value()).toArray();
            Map<Long, JobRow> jobs = ids.length == 0 ? Map.of() : lockJobs(c, ids);
            WriteBack changes = new WriteBack();
            List<ResultOutcome> out = new ArrayList<>(records.size());
            for (ResultRecord record : records) {
                out.add(lifecycle.recordResult(jobs.get(record.report().jobId().value()), worker.id(), worker.owner(),
                        record, now, policy, changes));
            }
            changes.flush(c, dialect);
            if (!rejections.isEmpty()) {
                RejectionTable.insert(c, rejections);
            }
            return out;
        });
        if (!rejections.isEmpty()) {
            rejectionTable.counted(rejections.size());
        }
        return outcomes;
    }

    @Override
    public List<StoredResult> results(JobId id) {
        return read("read results", c -> {
            try (PreparedStatement ps = c.prepareStatement("select " + REPLICA_COLUMNS
                    + " from muster_replica where job_id = ? and answered_ns is not null order by answered_ns, replica")) {
                ps.setLong(1, id.value());
                List<StoredResult> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(JobRow.result(rs));
                    }
                }
                return out;
            }
        });
    }

    // ================================================================ ledger and logs

    @Override
    public List<CreditEntry> credits(JobId id) {
        return ledger.credits(id);
    }

    @Override
    public List<LeaderboardEntry> leaderboard(LeaderboardScope scope, Instant since, int limit) {
        return ledger.leaderboard(scope, since, limit);
    }

    @Override
    public void logRejection(Rejection r) {
        rejectionTable.log(r);
    }

    @Override
    public List<Rejection> rejections(int limit) {
        return rejectionTable.newest(limit);
    }

    @Override
    public PoolSummary summary() {
        return read("summarise the pool", c -> {
            Map<WorkerState, Long> workers = new EnumMap<>(WorkerState.class);
            for (WorkerState s : WorkerState.values()) {
                workers.put(s, 0L);
            }
            try (PreparedStatement ps = c.prepareStatement("select state, count(*) from muster_worker group by state");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    workers.put(WorkerState.valueOf(rs.getString(1)), rs.getLong(2));
                }
            }
            Map<String, Long> counts = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("select name, sum(n) from muster_count group by name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
            Map<JobState, Long> jobs = new EnumMap<>(JobState.class);
            for (JobState s : JobState.values()) {
                jobs.put(s, counts.getOrDefault(s.name(), 0L));
            }
            long rejections;
            try (PreparedStatement ps = c.prepareStatement("select coalesce(max(id), 0) from muster_rejection");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                rejections = rs.getLong(1);
            }
            return new PoolSummary(workers, jobs, counts.getOrDefault(LEASES, 0L), rejections);
        });
    }

    /** Commits a write to the health row, which nothing else writes. */
    private void writeHealthRow(String what) {
        tx(what, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "update muster_health set checked_at = ? where id = 1")) {
                ps.setQueryTimeout(HEALTH_TIMEOUT_SECONDS);
                ps.setLong(1, System.currentTimeMillis());
                if (ps.executeUpdate() == 0) {
                    try (PreparedStatement insert = c.prepareStatement(
                            "insert into muster_health (id, checked_at) values (1, ?)")) {
                        insert.setQueryTimeout(HEALTH_TIMEOUT_SECONDS);
                        insert.setLong(1, System.currentTimeMillis());
                        insert.executeUpdate();
                    }
                }
            }
            return null;
        });
    }

    // ================================================================ housekeeping

    /**
     * Commits a write to the health row, which nothing else writes, within
     * {@link #HEALTH_TIMEOUT_SECONDS}: a read alone would pass on a full disk, where H2 opens its
     * file again and only fails, and closes, at the next write. A check that only ran out of time
     * (the pool's connections all in use, a slow commit) is load, not an outage: calls still
     * succeed, and reporting the store unavailable would restart the coordinator's grace period
     * for silent workers on every busy moment.
     */
    @Override
    public StoreHealth checkHealth() {
        if (closed) {
            return new StoreHealth(false, "the store is closed", availability.outages());
        }
        try {
            writeHealthRow("check its health");
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

    @Override
    public boolean leadsHousekeeping() {
        return !closed && housekeeping.held();
    }

    @Override
    public int purgeFinished(Instant finishedBefore, int limit) {
        ledger.fold();
        return tx("purge finished jobs", c -> {
            long[] ids;
            try (PreparedStatement ps = c.prepareStatement("select id from muster_job where finished_ns < ?"
                    + " order by finished_ns limit ?")) {
                ps.setLong(1, Nanos.of(finishedBefore));
                ps.setInt(2, limit);
                ids = longList(ps);
            }
            if (ids.length == 0) {
                return 0;
            }
            Map<String, Long> counts = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("select state, count(*) from muster_job where " + dialect.any("id")
                    + " group by state")) {
                dialect.bindLongs(ps, 1, ids);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        counts.put(rs.getString(1), -rs.getLong(2));
                    }
                }
            }
            for (String table : new String[] {"muster_replica", "muster_credit"}) {
                try (PreparedStatement ps = c.prepareStatement("delete from " + table + " where " + dialect.any("job_id"))) {
                    dialect.bindLongs(ps, 1, ids);
                    ps.executeUpdate();
                }
            }
            int deleted;
            try (PreparedStatement ps = c.prepareStatement("delete from muster_job where " + dialect.any("id"))) {
                dialect.bindLongs(ps, 1, ids);
                deleted = ps.executeUpdate();
            }
            addCounts(c, counts);
            return deleted;
        });
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        housekeeping.close();
        if (analyzer != null) {
            analyzer.shutdownNow();
        }
        if (ownedPool != null) {
            try {
                ownedPool.close();
            } catch (Exception e) {
                LOG.warn("closing the connection pool failed", e);
            }
        }
    }
}
