package dev.muster.store.memory;

import dev.muster.spi.CreditEntry;
import dev.muster.spi.IdempotencyConflictException;
import dev.muster.spi.InvalidRequestException;
import dev.muster.spi.Job;
import dev.muster.spi.JobId;
import dev.muster.spi.JobQuery;
import dev.muster.spi.JobState;
import dev.muster.spi.LeaderboardEntry;
import dev.muster.spi.LeaderboardScope;
import dev.muster.spi.Limits;
import dev.muster.spi.PoolSummary;
import dev.muster.spi.Rejection;
import dev.muster.spi.RejectionReason;
import dev.muster.spi.ReleaseReason;
import dev.muster.spi.ReportStatus;
import dev.muster.spi.ResultReport;
import dev.muster.spi.TicketRef;
import dev.muster.spi.Worker;
import dev.muster.spi.WorkerId;
import dev.muster.spi.WorkerState;
import dev.muster.spi.policy.Decision;
import dev.muster.spi.policy.StoredResult;
import dev.muster.spi.policy.TrustPolicy;
import dev.muster.spi.store.LeaseRequest;
import dev.muster.spi.store.LeasedJob;
import dev.muster.spi.store.NewJob;
import dev.muster.spi.store.Released;
import dev.muster.spi.store.ResultAdmission;
import dev.muster.spi.store.ResultOutcome;
import dev.muster.spi.store.ResultRecord;
import dev.muster.spi.store.Store;
import dev.muster.spi.store.StoreHealth;
import dev.muster.spi.store.Submitted;
import dev.muster.spi.store.Lease;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A {@link Store} that keeps everything in the heap: complete, thread-safe and fast, and gone when
 * the JVM stops.
 *
 * <p>Jobs, the queue, leases, results and the ledger sit behind one lock. That is a deliberate
 * choice: every mutating call works on a batch, so the lock is taken once per batch rather than
 * once per job, and one lock makes every invariant of the store contract (a replica is never
 * leased twice, a job is accepted once, credit is granted once per replica) hold by construction.
 * Workers live in a concurrent map so heartbeats do not touch the lock.
 *
 * <p>Leasing costs O(1) in the number of queued jobs (see {@link ReadyQueue}). Lease expiry keeps
 * one FIFO per distinct job timeout: leases with the same timeout expire in the order they were
 * made, so a sweep reads only what is due. To keep that true when requests reach the lock out of
 * time order, a lease never starts before the previous one: a request stamped earlier than the
 * last lease gets the later start (and so a slightly longer lease, never a shorter one).
 *
 * <p>Finished jobs are kept until {@code retainFinished} is exceeded, then dropped oldest first
 * (with their idempotency keys, so resubmitting such a job creates a new one). Listeners have
 * long since received their results; the bound keeps a long-running pool's heap flat.
 */
public final class MemoryStore implements Store {
    private final ReentrantLock lock = new ReentrantLock();

    // ---- guarded by lock ----
    private final HashMap<Long, JobRec> jobs = new HashMap<>();
    private final HashMap<DedupKey, JobRec> dedup = new HashMap<>();
    private final JobIndex index = new JobIndex();
    private final ReadyQueue queue = new ReadyQueue();
    private final HashMap<Long, LinkedHashSet<LeaseRec>> leasesByTimeout = new HashMap<>();
    private final HashMap<WorkerId, LinkedHashSet<LeaseRec>> leasesByWorker = new HashMap<>();
    private final HashMap<String, int[]> leasesByOwner = new HashMap<>();
    private final ArrayDeque<JobRec> finished = new ArrayDeque<>();
    private final long[] jobCounts = new long[JobState.values().length];
    private final Ledger ledger;
    private long nextJobId = 1;
    private long activeLeases;
    private Instant lastLeaseTime = Instant.MIN;

    private final ConcurrentHashMap<WorkerId, Worker> workers = new ConcurrentHashMap<>();

    private final Object rejectionLock = new Object();
    private final ArrayDeque<Rejection> rejections = new ArrayDeque<>();
    private long rejectionCount;

    private final int rejectionLogSize;
    private final long retainFinished;
    private volatile boolean closed;

    /**
     * A store with default settings: keep the last 1,000,000 finished jobs and 100,000 rejections,
     * and 31 days of hourly credit.
     */
    public MemoryStore() {
        this(100_000, 1_000_000, 31 * 24);
    }

    /**
     * @param rejectionLogSize    most rejection-log entries kept (older ones are dropped), at least 1
     * @param retainFinished      most finished jobs kept, at least 1
     * @param ledgerRetentionHours hours of hourly credit buckets kept for windowed leaderboards
     */
    public MemoryStore(int rejectionLogSize, long retainFinished, long ledgerRetentionHours) {
        if (rejectionLogSize < 1 || retainFinished < 1 || ledgerRetentionHours < 1) {
            throw new IllegalArgumentException("rejectionLogSize, retainFinished and ledgerRetentionHours must be "
                    + "at least 1; were " + rejectionLogSize + ", " + retainFinished + ", " + ledgerRetentionHours);
        }
        this.rejectionLogSize = rejectionLogSize;
        this.retainFinished = retainFinished;
        this.ledger = new Ledger(ledgerRetentionHours);
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

    // ---------------------------------------------------------------- workers

    @Override
    public Worker saveWorker(Worker worker) {
        workers.put(worker.id(), worker);
        return worker;
    }

    @Override
    public Optional<Worker> worker(WorkerId id) {
        return Optional.ofNullable(workers.get(id));
    }

    @Override
    public boolean touch(WorkerId id, Instant at) {
        return workers.computeIfPresent(id, (k, w) -> at.isAfter(w.lastSeen()) ? w.withLastSeen(at) : w) != null;
    }

    @Override
    public Optional<Worker> setWorkerState(WorkerId id, WorkerState state) {
        return Optional.ofNullable(workers.computeIfPresent(id, (k, w) -> w.state() == state ? w : w.withState(state)));
    }

    @Override
    public List<Worker> workers(int offset, int limit) {
        return workers.values().stream().sorted(Comparator.comparing(w -> w.id().value()))
                .skip(Math.max(0, offset)).limit(Math.max(0, limit)).toList();
    }

    @Override
    public List<Worker> silentWorkers(WorkerState state, Instant cutoff, int limit) {
        List<Worker> out = new ArrayList<>();
        for (Worker w : workers.values()) {
            if (w.state() == state && w.lastSeen().isBefore(cutoff)) {
                out.add(w);
                if (out.size() >= limit) {
                    break;
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- jobs

    @Override
    public List<Submitted> submit(List<NewJob> newJobs) {
        lock();
        try {
            // First pass: resolve duplicates and conflicts, so a conflict changes nothing.
            int size = newJobs.size();
            DedupKey[] keys = new DedupKey[size];
            JobRec[] existing = new JobRec[size];
            // Index of the first job in this batch with the same key, for duplicates within the batch.
            int[] firstInBatch = new int[size];
            Map<DedupKey, Integer> inBatch = size == 1 ? Map.of() : new HashMap<>(size * 2);
            for (int i = 0; i < size; i++) {
                NewJob n = newJobs.get(i);
                keys[i] = DedupKey.of(n);
                JobRec earlier = dedup.get(keys[i]);
                if (earlier != null) {
                    checkSameContent(n, earlier.digest);
                    existing[i] = earlier;
                }
                firstInBatch[i] = i;
                if (size > 1) {
                    Integer first = inBatch.putIfAbsent(keys[i], i);
                    if (first != null) {
                        firstInBatch[i] = first;
                        if (earlier == null) {
                            checkSameContent(n, newJobs.get(first).digest());
                        }
                    }
                }
            }
            List<Submitted> out = new ArrayList<>(size);
            JobRec[] created = new JobRec[size];
            for (int i = 0; i < size; i++) {
                NewJob n = newJobs.get(i);
                if (existing[i] != null) {
                    out.add(new Submitted(existing[i].snapshot(), false));
                    continue;
                }
                if (firstInBatch[i] != i) {
                    out.add(new Submitted(created[firstInBatch[i]].snapshot(), false));
                    continue;
                }
                JobRec job = new JobRec(new JobId(nextJobId++), n.spec(), n.digest(), n.payloadDigest(),
                        keys[i], n.replicas(), n.submittedAt(), queue.classFor(n.spec().requirements()));
                created[i] = job;
                jobs.put(job.id.value(), job);
                index.add(job);
                dedup.put(keys[i], job);
                jobCounts[JobState.QUEUED.ordinal()]++;
                queue.enqueue(job, false);
                out.add(new Submitted(job.snapshot(), true));
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    private static void checkSameContent(NewJob n, String earlierDigest) {
        if (n.spec().idempotencyKey() != null && !earlierDigest.equals(n.digest())) {
            throw new IdempotencyConflictException("idempotency key '" + n.spec().idempotencyKey()
                    + "' of submitter '" + n.spec().submitter() + "' already names a job with digest "
                    + earlierDigest + ", not " + n.digest());
        }
    }

    @Override
    public Optional<Job> job(JobId id) {
        return locked(() -> {
            JobRec job = jobs.get(id.value());
            return job == null ? Optional.empty() : Optional.of(job.snapshot());
        });
    }

    @Override
    public List<Job> jobs(JobQuery query) {
        return locked(() -> index.find(query));
    }

    @Override
    public Optional<Job> cancel(JobId id, Instant at, String reason) {
        lock();
        try {
            JobRec job = jobs.get(id.value());
            if (job == null) {
                return Optional.empty();
            }
            if (!job.state.isFinal()) {
                endAllLeases(job);
                job.failureReason = Limits.FAILURE_REASON.fit(reason);
                finish(job, JobState.CANCELLED, at);
            }
            return Optional.of(job.snapshot());
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- leasing

    @Override
    public List<LeasedJob> lease(LeaseRequest r) {
        lock();
        try {
            LinkedHashSet<LeaseRec> held = leasesByWorker.get(r.worker());
            int workerRoom = r.workerLimit() - (held == null ? 0 : held.size());
            int[] ownerHeld = leasesByOwner.get(r.owner());
            int ownerRoom = r.ownerLimit() - (ownerHeld == null ? 0 : ownerHeld[0]);
            int max = Math.min(r.max(), Math.min(workerRoom, ownerRoom));
            if (max <= 0) {
                return List.of();
            }
            // Callers read the clock before they get the lock, so requests can arrive out of time
            // order. Leases never start before an earlier one, so each timeout's FIFO stays sorted
            // by deadline and a sweep can stop at the first lease that is not due.
            Instant now = r.now().isAfter(lastLeaseTime) ? r.now() : lastLeaseTime;
            lastLeaseTime = now;
            List<LeasedJob> out = new ArrayList<>(Math.min(max, 1024));
            queue.take(r.capabilities(), r.worker(), r.owner(), r.distinctOwners(), max,
                    job -> out.add(newLease(job, r, now)));
            return out;
        } finally {
            lock.unlock();
        }
    }

    private LeasedJob newLease(JobRec job, LeaseRequest r, Instant now) {
        long timeout = job.spec.timeout().toMillis();
        LeaseRec l = new LeaseRec(job, job.nextReplica++, r.worker(), r.owner(), now, now.plusMillis(timeout), timeout);
        job.addLease(l);
        if (job.state == JobState.QUEUED) {
            setState(job, JobState.RUNNING);
        }
        leasesByWorker.computeIfAbsent(r.worker(), k -> new LinkedHashSet<>()).add(l);
        leasesByOwner.computeIfAbsent(r.owner(), k -> new int[1])[0]++;
        leasesByTimeout.computeIfAbsent(timeout, k -> new LinkedHashSet<>()).add(l);
        activeLeases++;
        return new LeasedJob(l.lease, job.snapshot());
    }

    /** Removes a lease from every index. The caller decides what becomes of its replica. */
    private void endLease(LeaseRec l) {
        l.job.removeLease(l);
        LinkedHashSet<LeaseRec> byWorker = leasesByWorker.get(l.worker);
        if (byWorker != null && byWorker.remove(l) && byWorker.isEmpty()) {
            leasesByWorker.remove(l.worker);
        }
        int[] byOwner = leasesByOwner.get(l.owner);
        if (byOwner != null && --byOwner[0] == 0) {
            leasesByOwner.remove(l.owner);
        }
        leasesByTimeout.get(l.timeoutMillis).remove(l);
        activeLeases--;
    }

    private void endAllLeases(JobRec job) {
        if (job.leases.isEmpty()) {
            return;
        }
        for (LeaseRec l : new ArrayList<>(job.leases)) {
            endLease(l);
        }
    }

    /** A lease ended without a valid result: count an attempt, then retry or fail. */
    private boolean countFailedAttempt(JobRec job, Instant at, String why) {
        job.attempts++;
        if (job.attempts >= job.spec.maxAttempts()) {
            endAllLeases(job);
            job.failureReason = Limits.FAILURE_REASON.fit("attempts exhausted (" + job.attempts + " of "
                    + job.spec.maxAttempts() + "); last: " + why);
            finish(job, JobState.FAILED, at);
            return true;
        }
        requeue(job);
        return false;
    }

    /** Puts a replica whose lease ended back at the front of its submitter's queue. */
    private void requeue(JobRec job) {
        job.open++;
        if (job.leases.isEmpty() && job.state == JobState.RUNNING && job.results.stream().noneMatch(StoredResult::valid)) {
            setState(job, JobState.QUEUED);
        }
        queue.enqueue(job, true);
    }

    @Override
    public List<Lease> leases(WorkerId worker) {
        return locked(() -> {
            LinkedHashSet<LeaseRec> held = leasesByWorker.get(worker);
            return held == null ? List.of() : held.stream().map(l -> l.lease).toList();
        });
    }

    @Override
    public List<Released> expireLeases(Instant now, int limit) {
        lock();
        try {
            List<Released> out = new ArrayList<>();
            for (LinkedHashSet<LeaseRec> fifo : new ArrayList<>(leasesByTimeout.values())) {
                Iterator<LeaseRec> it = fifo.iterator();
                List<LeaseRec> due = new ArrayList<>();
                while (it.hasNext() && out.size() + due.size() < limit) {
                    LeaseRec l = it.next();
                    if (!l.deadline.isBefore(now)) {
                        break;
                    }
                    due.add(l);
                }
                for (LeaseRec l : due) {
                    out.add(release(l, now, "lease of worker " + l.worker + " expired at " + l.deadline));
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Ends a lease that produced no result; its replica is retried or the job fails. */
    private Released release(LeaseRec l, Instant now, String why) {
        endLease(l);
        countFailedAttempt(l.job, now, why);
        return new Released(l.lease, l.job.snapshot());
    }

    @Override
    public List<Released> releaseLeases(WorkerId worker, Instant now, String reason) {
        lock();
        try {
            LinkedHashSet<LeaseRec> held = leasesByWorker.get(worker);
            if (held == null) {
                return List.of();
            }
            List<Released> out = new ArrayList<>(held.size());
            for (LeaseRec l : new ArrayList<>(held)) {
                out.add(release(l, now, "lease of worker " + worker + " released: " + reason));
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Released> releaseLeases(WorkerId worker, List<TicketRef> tickets, Instant now, ReleaseReason reason) {
        lock();
        try {
            List<Released> out = new ArrayList<>(Math.min(tickets.size(), 1024));
            for (TicketRef t : tickets) {
                JobRec job = jobs.get(t.jobId().value());
                LeaseRec l = job == null ? null : job.liveLease(t.replica(), worker);
                if (l == null || l.deadline.isBefore(now)) {
                    continue;
                }
                if (reason.countsAttempt()) {
                    out.add(release(l, now, "lease of worker " + worker + " given up: " + reason.description()));
                } else {
                    endLease(l);
                    requeue(job);
                    out.add(new Released(l.lease, job.snapshot()));
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- results

    @Override
    public List<ResultOutcome> recordResults(WorkerId worker, List<ResultRecord> records, Instant now,
                                             TrustPolicy policy) {
        Worker w = workers.get(worker);
        String owner = w == null ? "" : w.owner();
        lock();
        try {
            List<ResultOutcome> out = new ArrayList<>(records.size());
            for (ResultRecord record : records) {
                out.add(recordOne(worker, owner, record, now, policy));
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    private ResultOutcome recordOne(WorkerId worker, String owner, ResultRecord record, Instant now,
                                    TrustPolicy policy) {
        ResultReport r = record.report();
        JobRec job = jobs.get(r.jobId().value());
        LeaseRec lease = job == null ? null : job.liveLease(r.replica(), worker);
        ResultOutcome refused = job == null
                ? ResultAdmission.check(r, worker, null, null, null, null, now)
                : ResultAdmission.check(r, worker, job.state, job::snapshot, job.result(r.replica(), worker),
                        lease == null ? null : lease.deadline, now);
        if (refused != null) {
            return refused;
        }
        endLease(lease);
        boolean valid = record.verdict().valid();
        StoredResult stored = new StoredResult(job.id, r.replica(), worker, owner, r.resultDigest(),
                r.result(), r.metadata(), valid, record.verdict().reason(), record.claimedCredit(), now);
        job.addResult(stored);
        if (!valid) {
            boolean failed = countFailedAttempt(job, now, "invalid result from " + worker);
            return new ResultOutcome(r.jobId(), r.replica(), ReportStatus.REJECTED, RejectionReason.INVALID,
                    record.verdict().reason(), job.snapshot(), failed, List.of(), null, List.of());
        }
        Decision decision = policy.decide(job.snapshot(), List.copyOf(job.results));
        if (decision instanceof Decision.Accept accept) {
            return accept(job, stored, accept, now);
        }
        if (decision instanceof Decision.AddReplicas add) {
            job.replicasWanted += add.count();
            job.open += add.count();
            queue.enqueue(job, true);
        } else if (decision instanceof Decision.Fail fail) {
            endAllLeases(job);
            job.failureReason = fail.reason();
            finish(job, JobState.FAILED, now);
            return new ResultOutcome(r.jobId(), r.replica(), ReportStatus.RECORDED, null, "", job.snapshot(), true,
                    List.of(), null, List.of());
        }
        return new ResultOutcome(r.jobId(), r.replica(), ReportStatus.RECORDED, null, "", job.snapshot(), false,
                List.of(), null, List.of());
    }

    private ResultOutcome accept(JobRec job, StoredResult trigger, Decision.Accept accept, Instant now) {
        List<CreditEntry> credits = new ArrayList<>();
        List<StoredResult> outvoted = new ArrayList<>();
        byte[] acceptedBytes = null;
        for (StoredResult s : job.results) {
            if (!s.valid()) {
                continue;
            }
            if (s.resultDigest().equals(accept.resultDigest())) {
                CreditEntry c = new CreditEntry(job.id, s.replica(), s.worker(), s.owner(), accept.credit(), now);
                credits.add(c);
                ledger.add(c);
                acceptedBytes = s.result();
            } else {
                outvoted.add(s);
            }
        }
        if (acceptedBytes == null) {
            throw new IllegalStateException("trust policy accepted digest " + accept.resultDigest() + " for job "
                    + job.id + " but no valid result has it");
        }
        endAllLeases(job);
        job.acceptedDigest = accept.resultDigest();
        job.credits = List.copyOf(credits);
        finish(job, JobState.ACCEPTED, now);
        boolean mine = trigger.resultDigest().equals(accept.resultDigest());
        return new ResultOutcome(job.id, trigger.replica(), mine ? ReportStatus.ACCEPTED : ReportStatus.REJECTED,
                mine ? null : RejectionReason.OUTVOTED, mine ? "" : "other replicas agreed on " + accept.resultDigest(),
                job.snapshot(), true, credits, acceptedBytes,
                mine ? outvoted : outvoted.stream().filter(s -> s != trigger).toList());
    }

    private void setState(JobRec job, JobState state) {
        jobCounts[job.state.ordinal()]--;
        jobCounts[state.ordinal()]++;
        job.state = state;
    }

    private void finish(JobRec job, JobState state, Instant at) {
        setState(job, state);
        job.finishedAt = at;
        job.open = 0;
        finished.addLast(job);
        while (finished.size() > retainFinished) {
            JobRec old = finished.pollFirst();
            jobs.remove(old.id.value());
            index.remove(old);
            jobCounts[old.state.ordinal()]--;
            dedup.remove(old.dedupKey, old);
        }
    }

    @Override
    public List<StoredResult> results(JobId id) {
        return locked(() -> {
            JobRec job = jobs.get(id.value());
            return job == null ? List.of() : List.copyOf(job.results);
        });
    }

    // ---------------------------------------------------------------- ledger and logs

    @Override
    public List<CreditEntry> credits(JobId id) {
        return locked(() -> {
            JobRec job = jobs.get(id.value());
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
        synchronized (rejectionLock) {
            rejections.addLast(rejection);
            rejectionCount++;
            if (rejections.size() > rejectionLogSize) {
                rejections.pollFirst();
            }
        }
    }

    @Override
    public List<Rejection> rejections(int limit) {
        synchronized (rejectionLock) {
            List<Rejection> out = new ArrayList<>(Math.min(limit, rejections.size()));
            Iterator<Rejection> it = rejections.descendingIterator();
            while (it.hasNext() && out.size() < limit) {
                out.add(it.next());
            }
            return out;
        }
    }

    @Override
    public PoolSummary summary() {
        Map<WorkerState, Long> byState = new EnumMap<>(WorkerState.class);
        for (WorkerState s : WorkerState.values()) {
            byState.put(s, 0L);
        }
        for (Worker w : workers.values()) {
            byState.merge(w.state(), 1L, Long::sum);
        }
        Map<JobState, Long> jobStates = new EnumMap<>(JobState.class);
        long leases;
        lock();
        try {
            for (JobState s : JobState.values()) {
                jobStates.put(s, jobCounts[s.ordinal()]);
            }
            leases = activeLeases;
        } finally {
            lock.unlock();
        }
        long rejected;
        synchronized (rejectionLock) {
            rejected = rejectionCount;
        }
        return new PoolSummary(byState, jobStates, leases, rejected);
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
