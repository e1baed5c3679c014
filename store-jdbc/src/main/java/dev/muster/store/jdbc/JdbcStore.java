package dev.muster.store.jdbc;

import dev.muster.spi.ConfigurationException;
import dev.muster.spi.CreditEntry;
import dev.muster.spi.Job;
import dev.muster.spi.JobId;
import dev.muster.spi.JobQuery;
import dev.muster.spi.LeaderboardEntry;
import dev.muster.spi.LeaderboardScope;
import dev.muster.spi.OwnerAccount;
import dev.muster.spi.OwnerState;
import dev.muster.spi.PoolSummary;
import dev.muster.spi.Rejection;
import dev.muster.spi.ReleaseReason;
import dev.muster.spi.StoreUnavailableException;
import dev.muster.spi.TicketRef;
import dev.muster.spi.Worker;
import dev.muster.spi.WorkerId;
import dev.muster.spi.WorkerState;
import dev.muster.spi.policy.KeyTrust;
import dev.muster.spi.policy.StoredResult;
import dev.muster.spi.policy.TrustPolicy;
import dev.muster.spi.store.Backtrack;
import dev.muster.spi.store.JobLifecycle;
import dev.muster.spi.store.Lease;
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
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
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
 * (see the schema), then by id. Retried replicas keep their job's tag; replicas a trust policy
 * adds get a tag past their submitter's last, so they wait behind its waiting jobs.
 */
public final class JdbcStore implements Store {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcStore.class);

    private final JobLifecycle lifecycle;
    private final AutoCloseable ownedPool;
    private final StoreTransactions transactions;
    private final HousekeepingLock housekeeping;
    private final HealthCheck health;
    private final RejectionTable rejectionTable;
    private final WorkerTable workerTable;
    private final CreditLedger ledger;
    private final JobTable jobTable;
    private final Submissions submissions;
    private final Leasing leasing;
    private final PoolCounts poolCounts;
    private final StatusQueries status;
    private final Purge purge;
    private final PlannerStatistics statistics;
    private final KeyStandings standings;
    private final SecretTable secrets;
    private final AllowlistTable allowlist;
    private final OwnerTable owners;
    private final ResultRecording recording;

    /**
     * Opens a store on {@code dataSource}, applying schema migrations first.
     *
     * @param dataSource       connections to PostgreSQL or H2; the store sets auto-commit off on them
     * @param ownedPool        closed with the store (the pool the store made), or null
     * @param rejectionLogSize rejection-log entries kept; older ones are deleted
     * @param syncEachTransaction on H2, force the database file to the disk after every transaction
     * @param file             the SQLite file the store holds, checked before every write, or null
     * @param lifecycle        the rules applied to a job while a transaction holds it
     * @throws ConfigurationException if the database is not supported or its schema is newer than this store
     */
    JdbcStore(DataSource dataSource, AutoCloseable ownedPool, int rejectionLogSize, boolean syncEachTransaction,
              SqliteFile file, JobLifecycle lifecycle) {
        this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
        this.ownedPool = ownedPool;
        Availability availability = new Availability(dataSource);
        Dialect dialect;
        boolean forcing;
        try (Connection c = dataSource.getConnection()) {
            dialect = Dialect.of(c);
            dialect.prepare(c);
            forcing = dialect.forcesEachCommit(syncEachTransaction);
            if (forcing) {
                // Fails now, not on the first call, if the user may not force the file.
                dialect.forceToDisk(c);
            }
        } catch (SQLException e) {
            if (syncEachTransaction && "90040".equals(e.getSQLState())) {
                throw new ConfigurationException("store.fsync needs an H2 admin user (the one that created the "
                        + "database), or store.fsync=false: " + e.getMessage());
            }
            throw new StoreUnavailableException("cannot connect to the store's database: " + e.getMessage(), e);
        }
        this.transactions = new StoreTransactions(dataSource, dialect, availability, file, forcing);
        this.rejectionTable = new RejectionTable(transactions, rejectionLogSize);
        Migrations.apply(dataSource, dialect);
        this.ledger = new CreditLedger(transactions, dialect);
        RequirementClasses requirementClasses = new RequirementClasses(transactions, dialect);
        this.workerTable = new WorkerTable(transactions, dialect);
        this.housekeeping = dialect.housekeepingLock(dataSource);
        this.health = new HealthCheck(transactions, availability);
        health.requireWrites();
        this.statistics = dialect.plannerStatistics(transactions);
        this.jobTable = new JobTable(transactions, dialect, requirementClasses);
        this.submissions = new Submissions(transactions, dialect, jobTable, requirementClasses, statistics);
        this.leasing = new Leasing(transactions, dialect, jobTable, requirementClasses, lifecycle);
        this.poolCounts = new PoolCounts(transactions);
        this.status = new StatusQueries(transactions, requirementClasses);
        this.purge = new Purge(transactions, dialect, ledger);
        this.standings = new KeyStandings(transactions, dialect, jobTable, lifecycle);
        this.secrets = new SecretTable(transactions, dialect);
        this.allowlist = new AllowlistTable(transactions);
        this.owners = new OwnerTable(transactions, dialect);
        this.recording = new ResultRecording(transactions, jobTable, standings, rejectionTable, lifecycle);
    }

    /**
     * Opens a store on a {@link DataSource} the caller owns (and closes after the store); applies
     * schema migrations first. Durability is the data source's: on SQLite (switched to WAL mode)
     * its {@code synchronous}, and one store at a time per file, which the caller sees to; on H2,
     * {@code WRITE_DELAY=0} in its URL. {@link #open(Map)} does all of that.
     *
     * @param dataSource connections to PostgreSQL, SQLite or H2
     * @return the store
     */
    public static JdbcStore open(DataSource dataSource) {
        return new JdbcStore(dataSource, null, 100_000, false, null, JobLifecycle.STANDARD);
    }

    /**
     * Opens a store from settings, as the {@code jdbc} store plug-in ({@code store=jdbc} and
     * {@code store.*} properties) does, with a HikariCP connection pool. Settings:
     * <ul>
     *   <li>{@code url} (required): a JDBC URL, {@code jdbc:postgresql://host/db},
     *       {@code jdbc:sqlite:/path/to/muster.db} or {@code jdbc:h2:file:/path/to/muster}. SQLite runs
     *       in WAL mode with {@code synchronous=FULL} (see {@code fsync}) and a 10 s busy timeout; its
     *       directory is created if missing, and the store locks the file ({@code <file>.lock}) so that
     *       one coordinator uses it at a time. An acknowledged call survives a killed process. H2
     *       URLs get {@code LOCK_TIMEOUT=10000} and {@code WRITE_DELAY=0} unless they set them, but
     *       H2 can still lose recent commits to a killed process (design notes, "Embedded store");</li>
     *   <li>{@code fsync} (SQLite and H2): {@code true} (default) forces every commit to the disk
     *       before the call answers (an OS crash or power loss needs it); {@code false} leaves the
     *       writes to the OS, which a killed process does not lose. SQLite: {@code synchronous=FULL}
     *       or {@code NORMAL}; H2: {@code CHECKPOINT SYNC} per transaction, by an H2 admin user.
     *       Refused on PostgreSQL, where the server's {@code fsync} and {@code synchronous_commit} decide;</li>
     *   <li>{@code user}, {@code password}: credentials, if the database wants them;</li>
     *   <li>{@code poolSize}: most connections, default 10 (plus one for housekeeping on PostgreSQL);</li>
     *   <li>{@code rejectionLogSize}: rejection-log entries kept, default 100000;</li>
     *   <li>{@code connectionTimeout}: longest wait for a database connection, from 250ms to 60s,
     *       default 2s (e.g. {@code 2s}, {@code 500ms}, {@code PT2S}). A call while the database is
     *       unreachable fails within this long with {@link dev.muster.spi.StoreUnavailableException}
     *       (HTTP 503); PostgreSQL connection attempts get the same timeout, and reads 5 minutes
     *       (PgJDBC's {@code connectTimeout} and {@code socketTimeout}; URL parameters win).</li>
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
    public List<Worker> workers(WorkerId after, int limit) {
        return workerTable.list(after, limit);
    }

    @Override
    public List<Worker> silentWorkers(WorkerState state, Instant cutoff, int limit) {
        return workerTable.silent(state, cutoff, limit);
    }

    @Override
    public List<Worker> workersOf(String owner, int limit) {
        return workerTable.ofOwner(owner, limit);
    }

    @Override
    public boolean createOwner(OwnerAccount account) {
        return owners.create(account);
    }

    @Override
    public Optional<OwnerAccount> owner(String name) {
        return owners.get(name);
    }

    @Override
    public Optional<OwnerAccount> setOwnerState(String name, OwnerState state, String reason) {
        return owners.setState(name, state, reason);
    }

    @Override
    public List<OwnerAccount> owners(String afterName, int limit) {
        return owners.list(afterName, limit);
    }

    // ================================================================ jobs

    @Override
    public List<Submitted> submit(List<NewJob> newJobs) {
        return submissions.submit(newJobs);
    }

    @Override
    public Optional<Job> job(JobId id) {
        return jobTable.job(id);
    }

    @Override
    public Map<JobId, Job> jobsById(Collection<JobId> ids) {
        return jobTable.jobsById(ids);
    }

    @Override
    public List<Job> jobs(JobQuery q) {
        return jobTable.jobs(q);
    }

    @Override
    public Optional<Job> cancel(JobId id, Instant at, String reason) {
        return jobTable.cancel(id, at, reason, lifecycle);
    }

    @Override
    public List<LeasedJob> lease(LeaseRequest r) {
        return leasing.lease(r);
    }

    @Override
    public List<Lease> leases(WorkerId worker) {
        return leasing.leases(worker);
    }

    @Override
    public List<Released> expireLeases(Instant now, int limit) {
        return leasing.expire(now, limit);
    }

    @Override
    public List<Released> releaseLeases(WorkerId worker, Instant now, String reason) {
        return leasing.release(worker, now, reason);
    }

    @Override
    public List<Released> releaseLeases(WorkerId worker, List<TicketRef> tickets, Instant now, ReleaseReason reason,
                                        String detail) {
        return leasing.giveUp(worker, tickets, now, reason, detail);
    }

    /** Records a worker's report in one transaction ({@link ResultRecording}). */
    @Override
    public List<ResultOutcome> recordResults(Worker worker, List<ResultRecord> records, List<Rejection> rejections,
                                             Instant now, TrustPolicy policy) {
        return recording.record(worker, records, rejections, now, policy);
    }

    @Override
    public List<StoredResult> results(JobId id) {
        return recording.results(id);
    }

    // ================================================================ standing of keys, secrets, allowlist

    @Override
    public KeyTrust trust(WorkerId worker) {
        return standings.trust(worker);
    }

    @Override
    public KeyTrust updateTrust(WorkerId worker, UnaryOperator<KeyTrust> change) {
        return standings.update(worker, change);
    }

    @Override
    public List<KeyTrust> keysToBacktrack(int limit) {
        return standings.toBacktrack(limit);
    }

    @Override
    public Backtrack backtrack(WorkerId worker, JobId after, int limit, Instant now, TrustPolicy policy) {
        return standings.backtrack(worker, after, limit, now, policy);
    }

    @Override
    public List<JobId> spotChecksOf(JobId source, int limit) {
        return jobTable.spotChecksOf(source, limit);
    }

    @Override
    public byte[] sharedSecret(String name, byte[] candidate) {
        return secrets.sharedSecret(name, candidate);
    }

    @Override
    public boolean allowKey(java.security.PublicKey key) {
        return allowlist.allow(key);
    }

    @Override
    public boolean revokeKey(WorkerId worker) {
        return allowlist.revoke(worker);
    }

    @Override
    public boolean isAllowed(WorkerId worker) {
        return allowlist.isAllowed(worker);
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
        return poolCounts.summary();
    }

    @Override
    public List<dev.muster.spi.OpenJobs> openJobs() {
        return status.openJobs();
    }

    @Override
    public List<dev.muster.spi.WorkerGroup> workerGroups() {
        return status.workerGroups();
    }

    @Override
    public List<dev.muster.spi.HourlyOutcomes> finishedPerHour(Instant since) {
        return status.finishedPerHour(since);
    }

    @Override
    public List<dev.muster.spi.CreditHistory> creditHistory(LeaderboardScope scope, Collection<String> names,
                                                            java.time.LocalDate fromDay) {
        return ledger.history(scope, names, fromDay);
    }

    // ================================================================ housekeeping

    /** A timed write to the health row ({@link HealthCheck#check()}); running out of time is load, not an outage. */
    @Override
    public StoreHealth checkHealth() {
        return health.check();
    }

    @Override
    public boolean leadsHousekeeping() {
        return !transactions.closed() && housekeeping.held();
    }

    @Override
    public int purgeFinished(Instant finishedBefore, int limit) {
        return purge.finished(finishedBefore, limit);
    }

    @Override
    public void close() {
        if (transactions.closed()) {
            return;
        }
        transactions.close();
        housekeeping.close();
        statistics.close();
        if (ownedPool != null) {
            try {
                ownedPool.close();
            } catch (Exception e) {
                LOG.warn("closing the connection pool failed", e);
            }
        }
    }
}
