package dev.muster.store.memory;

import dev.muster.spi.Checks;
import dev.muster.spi.CreditEntry;
import dev.muster.spi.CreditHistory;
import dev.muster.spi.HourlyOutcomes;
import dev.muster.spi.InvalidRequestException;
import dev.muster.spi.Job;
import dev.muster.spi.JobId;
import dev.muster.spi.JobQuery;
import dev.muster.spi.JobState;
import dev.muster.spi.LeaderboardEntry;
import dev.muster.spi.LeaderboardScope;
import dev.muster.spi.OpenJobs;
import dev.muster.spi.OwnerAccount;
import dev.muster.spi.OwnerState;
import dev.muster.spi.PoolSummary;
import dev.muster.spi.Rejection;
import dev.muster.spi.ReleaseReason;
import dev.muster.spi.TicketRef;
import dev.muster.spi.Worker;
import dev.muster.spi.WorkerId;
import dev.muster.spi.WorkerGroup;
import dev.muster.spi.WorkerState;
import dev.muster.spi.policy.KeyTrust;
import dev.muster.spi.policy.StoredResult;
import dev.muster.spi.policy.TrustPolicy;
import dev.muster.spi.store.LeaseRequest;
import dev.muster.spi.store.LeasedJob;
import dev.muster.spi.store.NewJob;
import dev.muster.spi.store.Released;
import dev.muster.spi.store.ResultOutcome;
import dev.muster.spi.store.ResultRecord;
import dev.muster.spi.store.SharedSecrets;
import dev.muster.spi.store.Store;
import dev.muster.spi.store.StoreHealth;
import dev.muster.spi.store.Submitted;
import dev.muster.spi.store.Backtrack;
import dev.muster.spi.store.JobLifecycle;
import dev.muster.spi.store.Lease;
import dev.muster.spi.store.LeaseRecord;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A {@link Store} that keeps everything in the heap: complete, thread-safe and fast, and gone when
 * the JVM stops.
 *
 * <p>Jobs, the queue, leases, results and the ledger sit behind one lock. That is a deliberate
 * choice: every mutating call works on a batch, so the lock is taken once per batch rather than
 * once per job, and one lock makes every invariant of the store contract (a replica is never
 * leased twice, a job is accepted once, credit is granted once per replica) hold by construction.
 * Workers and owner accounts live in {@link Registry}, so heartbeats do not touch the lock.
 *
 * <p>Leasing costs O(1) in the number of queued jobs ({@link ReadyQueue}); expiry reads only the
 * leases that are due ({@link LeaseIndex}); finished jobs are kept up to {@code retainFinished}
 * ({@link JobTable}). {@link JobLifecycle} rules jobs; {@code Mirror} turns changes into index updates.
 */
public final class MemoryStore implements Store {
    private final ReentrantLock lock = new ReentrantLock();

    // ---- guarded by lock ----
    private final JobTable jobs;
    private final ReadyQueue queue = new ReadyQueue();
    private final LeaseIndex leases = new LeaseIndex();
    private final Ledger ledger;
    private final Standings standings;

    private final Registry registry = new Registry();
    private final ConcurrentHashMap<String, byte[]> secrets = new ConcurrentHashMap<>();

    private final RejectionLog rejections;

    private final JobLifecycle lifecycle;
    private final Mirror mirror;
    private volatile boolean closed;

    /**
     * A store with default settings: keep the last 1,000,000 finished jobs and 100,000 rejections,
     * and 31 days of hourly credit.
     */
    public MemoryStore() {
        this(100_000, 1_000_000, 31 * 24);
    }

    /** As {@link #MemoryStore(int, long, long, JobLifecycle)}, with the standard lifecycle. */
    public MemoryStore(int rejectionLogSize, long retainFinished, long ledgerRetentionHours) {
        this(rejectionLogSize, retainFinished, ledgerRetentionHours, JobLifecycle.STANDARD);
    }

    /**
     * @param rejectionLogSize    most rejection-log entries kept (older ones are dropped), at least 1
     * @param retainFinished      most finished jobs kept, at least 1
     * @param ledgerRetentionHours hours of hourly credit buckets kept for windowed leaderboards
     * @param lifecycle           the rules applied to a job while the store holds it
     */
    public MemoryStore(int rejectionLogSize, long retainFinished, long ledgerRetentionHours, JobLifecycle lifecycle) {
        this.lifecycle = java.util.Objects.requireNonNull(lifecycle, "lifecycle");
        if (rejectionLogSize < 1 || retainFinished < 1 || ledgerRetentionHours < 1) {
            throw new IllegalArgumentException("rejectionLogSize, retainFinished and ledgerRetentionHours must be "
                    + "at least 1; were " + rejectionLogSize + ", " + retainFinished + ", " + ledgerRetentionHours);
        }
        this.rejections = new RejectionLog(rejectionLogSize);
        this.jobs = new JobTable(retainFinished);
        this.ledger = new Ledger(ledgerRetentionHours);
        this.standings = new Standings(registry::setState);
        this.mirror = new Mirror(jobs, queue, leases, ledger, standings);
    }

    private void lock() {
        if (closed) {
            throw new IllegalStateException("memory store is closed");
        }
        lock.lock();
    }

    /** For queries: runs {@code read} under the lock. */
    private <T> T locked(Supplier<T> read) {
        lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- workers and owners

    @Override
    public Worker saveWorker(Worker worker) {
        return registry.save(worker);
    }

    @Override
    public Optional<Worker> worker(WorkerId id) {
        return registry.worker(id);
    }

    @Override
    public boolean touch(WorkerId id, Instant at) {
        return registry.touch(id, at);
    }

    @Override
    public Optional<Worker> setWorkerState(WorkerId id, WorkerState state) {
        return registry.setState(id, state);
    }

    @Override
    public List<Worker> workers(WorkerId after, int limit) {
        return registry.workers(after, limit);
    }

    @Override
    public List<Worker> silentWorkers(WorkerState state, Instant cutoff, int limit) {
        return registry.silent(state, cutoff, limit);
    }

    @Override
    public List<Worker> workersOf(String owner, int limit) {
        return registry.workersOf(owner, limit);
    }

    @Override
    public boolean createOwner(OwnerAccount account) {
        return registry.createOwner(account);
    }

    @Override
    public Optional<OwnerAccount> owner(String name) {
        return registry.owner(name);
    }

    @Override
    public Optional<OwnerAccount> setOwnerState(String name, OwnerState state, String reason) {
        return registry.setOwnerState(name, state, reason);
    }

    @Override
    public List<OwnerAccount> owners(String afterName, int limit) {
        return registry.owners(afterName, limit);
    }

    // ---------------------------------------------------------------- jobs

    @Override
    public List<Submitted> submit(List<NewJob> newJobs) {
        return locked(() -> jobs.submit(newJobs, queue));
    }

    @Override
    public Optional<Job> job(JobId id) {
        return locked(() -> {
            JobRec job = jobs.get(id);
            return job == null ? Optional.empty() : Optional.of(job.snapshot());
        });
    }

    @Override
    public List<Job> jobs(JobQuery query) {
        return locked(() -> jobs.find(query));
    }

    @Override
    public Optional<Job> cancel(JobId id, Instant at, String reason) {
        return locked(() -> {
            JobRec job = jobs.get(id);
            if (job == null) {
                return Optional.empty();
            }
            lifecycle.cancel(job, at, reason, mirror);
            return Optional.of(job.snapshot());
        });
    }

    @Override
    public List<LeasedJob> lease(LeaseRequest r) {
        return locked(() -> {
            int workerRoom = r.workerLimit() - leases.heldBy(r.worker());
            int ownerRoom = r.ownerLimit() - leases.heldByOwner(r.owner());
            int max = Math.min(r.max(), Math.min(workerRoom, ownerRoom));
            if (max <= 0) {
                return List.of();
            }
            Instant now = leases.start(r.now());
            List<LeasedJob> out = new ArrayList<>(Math.min(max, 1024));
            queue.take(r.capabilities(), r.worker(), r.owner(), r.distinctOwners(), r.onlySpotChecks(), max,
                    job -> out.add(newLease(job, r, now)));
            return out;
        });
    }

    private LeasedJob newLease(JobRec job, LeaseRequest r, Instant now) {
        long timeout = job.spec().timeout().toMillis();
        JobState was = job.state();
        LeaseRec l = new LeaseRec(job, job.startReplica(), r.worker(), r.owner(), now, now.plusMillis(timeout), timeout);
        l.sparesAttempt(r.sparesAttempts());
        job.addLease(l);
        if (was != job.state()) {
            jobs.stateChanged(was, job.state());
        }
        leases.add(l);
        return new LeasedJob(l.lease(), job.snapshot());
    }

    @Override
    public List<Lease> leases(WorkerId worker) {
        return locked(() -> leases.of(worker).stream().map(LeaseRecord::lease).toList());
    }

    @Override
    public List<Released> expireLeases(Instant now, int limit) {
        return locked(() -> {
            List<Released> out = new ArrayList<>();
            for (LeaseRec l : leases.due(now, limit)) {
                // Releasing one lease can fail its job and so end the job's other due leases.
                if (l.job.leases().contains(l)) {
                    out.add(lifecycle.release(l.job, l, now, "lease of worker " + l.worker() + " expired at "
                            + l.deadline(), mirror));
                }
            }
            return out;
        });
    }

    @Override
    public List<Released> releaseLeases(WorkerId worker, Instant now, String reason) {
        return locked(() -> {
            List<LeaseRec> held = leases.of(worker);
            List<Released> out = new ArrayList<>(held.size());
            for (LeaseRec l : held) {
                out.add(lifecycle.release(l.job, l, now, "lease of worker " + worker + " released: " + reason, mirror));
            }
            return out;
        });
    }

    @Override
    public List<Released> releaseLeases(WorkerId worker, List<TicketRef> tickets, Instant now, ReleaseReason reason,
                                        String detail) {
        return locked(() -> {
            List<Released> out = new ArrayList<>(Math.min(tickets.size(), 1024));
            for (TicketRef t : tickets) {
                Released r = lifecycle.giveUp(jobs.get(t.jobId()), worker, t.replica(), now, reason, detail, mirror);
                if (r != null) {
                    out.add(r);
                }
            }
            return out;
        });
    }

    @Override
    public List<ResultOutcome> recordResults(Worker worker, List<ResultRecord> records, List<Rejection> rejections,
                                             Instant now, TrustPolicy policy) {
        return locked(() -> {
            List<ResultOutcome> out = new ArrayList<>(records.size());
            for (ResultRecord record : records) {
                out.add(lifecycle.recordResult(jobs.get(record.report().jobId()), worker.id(), worker.owner(), record,
                        now, policy, mirror, standings));
            }
            rejections.forEach(this.rejections::add);
            return out;
        });
    }

    @Override
    public List<StoredResult> results(JobId id) {
        return locked(() -> {
            JobRec job = jobs.get(id);
            return job == null ? List.of() : List.copyOf(job.results());
        });
    }

    // ---------------------------------------------------------------- standing of keys, secrets, allowlist

    @Override
    public KeyTrust trust(WorkerId worker) {
        return locked(() -> standings.get(worker));
    }

    @Override
    public KeyTrust updateTrust(WorkerId worker, UnaryOperator<KeyTrust> change) {
        return locked(() -> standings.update(worker, change));
    }

    @Override
    public List<KeyTrust> keysToBacktrack(int limit) {
        return locked(() -> standings.toBacktrack(limit));
    }

    @Override
    public Backtrack backtrack(WorkerId worker, JobId after, int limit, Instant now, TrustPolicy policy) {
        if (limit < 1) {
            throw new InvalidRequestException("backtrack limit must be at least 1, was " + limit);
        }
        return locked(() -> standings.backtrack(worker, after, limit, now, policy, jobs::get, lifecycle, mirror));
    }

    @Override
    public List<JobId> spotChecksOf(JobId source, int limit) {
        Checks.range(limit, "limit", 1, Integer.MAX_VALUE);
        return locked(() -> jobs.spotChecksOf(source, limit));
    }

    @Override
    public byte[] sharedSecret(String name, byte[] candidate) {
        SharedSecrets.check(name, candidate);
        return secrets.computeIfAbsent(name, k -> candidate.clone()).clone();
    }

    @Override
    public boolean allowKey(java.security.PublicKey key) {
        return registry.allowKey(WorkerId.of(key), true);
    }

    @Override
    public boolean revokeKey(WorkerId worker) {
        return registry.allowKey(worker, false);
    }

    @Override
    public boolean isAllowed(WorkerId worker) {
        return registry.isAllowed(worker);
    }

    @Override
    public List<CreditEntry> credits(JobId id) {
        return locked(() -> {
            JobRec job = jobs.get(id);
            return job == null ? List.of() : job.credits;
        });
    }

    @Override
    public List<LeaderboardEntry> leaderboard(LeaderboardScope scope, Instant since, int limit) {
        if (limit < 1) {
            throw new InvalidRequestException("leaderboard limit must be at least 1, was " + limit);
        }
        return locked(() -> ledger.top(scope, since, limit));
    }

    @Override
    public void logRejection(Rejection rejection) {
        rejections.add(rejection);
    }

    @Override
    public List<Rejection> rejections(int limit) {
        return rejections.newest(limit);
    }

    @Override
    public PoolSummary summary() {
        Map<WorkerState, Long> byState = registry.countByState();
        Map<JobState, Long> jobStates;
        long live;
        lock();
        try {
            jobStates = jobs.counts();
            live = leases.active();
        } finally {
            lock.unlock();
        }
        return new PoolSummary(byState, jobStates, live, rejections.count());
    }

    @Override
    public List<OpenJobs> openJobs() {
        return locked(() -> StatusReads.openJobs(jobs.open()));
    }

    @Override
    public List<WorkerGroup> workerGroups() {
        return locked(() -> StatusReads.workerGroups(registry.all(), leases));
    }

    @Override
    public List<HourlyOutcomes> finishedPerHour(Instant since) {
        return locked(() -> StatusReads.finishedPerHour(jobs.finishedLatestFirst(), since));
    }

    @Override
    public List<CreditHistory> creditHistory(LeaderboardScope scope, Collection<String> names, LocalDate fromDay) {
        Checks.size(names, "names", 1_000);
        return locked(() -> StatusReads.creditHistory(ledger, scope, names, fromDay));
    }

    /** Always available while open: memory has no database to lose; a closed store is not. */
    @Override
    public StoreHealth checkHealth() {
        return closed ? new StoreHealth(false, "the store is closed", 0) : StoreHealth.ALWAYS_UP;
    }

    @Override
    public void close() {
        closed = true;
    }
}
