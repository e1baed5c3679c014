package dev.muster.core;

import dev.muster.core.policy.AllowlistPolicy;
import dev.muster.spi.BadSignatureException;
import dev.muster.spi.Challenge;
import dev.muster.spi.Checks;
import dev.muster.spi.CoordinatorApi;
import dev.muster.spi.CoordinatorEvent;
import dev.muster.spi.CoordinatorStateException;
import dev.muster.spi.InvalidRequestException;
import dev.muster.spi.Job;
import dev.muster.spi.JobId;
import dev.muster.spi.JobQuery;
import dev.muster.spi.JobSpec;
import dev.muster.spi.JobState;
import dev.muster.spi.LeaderboardEntry;
import dev.muster.spi.LeaderboardScope;
import dev.muster.spi.Limits;
import dev.muster.spi.PoolSummary;
import dev.muster.spi.Readiness;
import dev.muster.spi.Registration;
import dev.muster.spi.RegistrationRefusedException;
import dev.muster.spi.Rejection;
import dev.muster.spi.RejectionReason;
import dev.muster.spi.ReleaseReason;
import dev.muster.spi.ReportOutcome;
import dev.muster.spi.ReportStatus;
import dev.muster.spi.ResultBatch;
import dev.muster.spi.ResultReport;
import dev.muster.spi.SignedBytes;
import dev.muster.spi.StoreUnavailableException;
import dev.muster.spi.Ticket;
import dev.muster.spi.TicketBatch;
import dev.muster.spi.TicketRef;
import dev.muster.spi.UnknownJobException;
import dev.muster.spi.UnknownJobTypeException;
import dev.muster.spi.UnknownWorkerException;
import dev.muster.spi.Validator;
import dev.muster.spi.Worker;
import dev.muster.spi.WorkerBannedException;
import dev.muster.spi.WorkerId;
import dev.muster.spi.WorkerState;
import dev.muster.spi.policy.StoredResult;
import dev.muster.spi.policy.TrustPolicy;
import dev.muster.spi.store.LeaseRequest;
import dev.muster.spi.store.LeasedJob;
import dev.muster.spi.store.NewJob;
import dev.muster.spi.store.Released;
import dev.muster.spi.store.ResultOutcome;
import dev.muster.spi.store.ResultRecord;
import dev.muster.spi.store.Store;
import dev.muster.spi.store.StoreHealth;
import dev.muster.spi.store.Submitted;
import dev.muster.spi.transport.Transport;
import dev.muster.spi.transport.TransportProvider;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Muster coordinator: registers workers, queues jobs, leases them as signed tickets, checks and
 * decides results, keeps the ledger, and tells listeners what happened. Build one with
 * {@link #builder()}, {@link #start()} it, and call it directly or through a transport.
 *
 * <p>The coordinator holds policy; the {@link Store} holds state and makes each change atomic, so
 * several threads (and, with a shared store, several coordinators) may call it at once.
 *
 * <pre>{@code
 * try (Coordinator c = Coordinator.builder()
 *         .store("memory", Map.of())
 *         .trustPolicy("allowlist", Map.of("keysFile", "workers.pem"))
 *         .validator(new CardGameValidator())
 *         .build()) {
 *     c.start();
 *     c.submit(List.of(JobSpec.builder("card-game", payload).seed(42).build()));
 *     ...
 * }
 * }</pre>
 */
public final class Coordinator implements CoordinatorApi, AutoCloseable {
    /** Longest leaderboard window: about a century, far inside what an instant minus a duration can hold. */
    static final Duration MAX_LEADERBOARD_WINDOW = Duration.ofDays(36_525);

    private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);
    private static final int SWEEP_LIMIT = 10_000;
    /** Longest long poll a worker may ask for. */
    static final Duration MAX_WAIT = Duration.ofMinutes(2);

    /** Frozen settings; see {@link CoordinatorBuilder} for meanings and defaults. */
    record Settings(InstantSource clock, boolean signatures, Duration heartbeatInterval, Duration offlineAfter,
                    Duration housekeepingInterval, int maxLeaseBatch, int maxSubmitBatch, int maxReportBatch,
                    int maxPayloadBytes, int maxResultBytes, int ownerLeaseLimit, double workerLeaseRate,
                    double ownerLeaseRate, Set<String> allowedClientBuilds, Duration purgeAfter,
                    int rejectionsPerMinute) {}

    private enum State { NEW, RUNNING, STOPPED }

    private final Settings settings;
    private final InstantSource clock;
    private final Store store;
    private final boolean ownsStore;
    private final TrustPolicy policy;
    private final Map<String, Validator> validators;
    private final Listeners listeners;
    private final Signatures.Signer signer;
    private final PublicKey publicKey;
    private final ChallengeIssuer challenges;
    private final StoreWatch storeWatch;
    private final ConcurrentHashMap<WorkerId, Ed25519PublicKeyParameters> workerKeys = new ConcurrentHashMap<>();
    private final Throttle workerThrottle;
    private final Throttle ownerThrottle;
    private final RejectionLog rejectionLog;
    private final HealthSweep healthSweep;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private ScheduledExecutorService housekeeper;
    private final List<TransportProvider> transportProviders;
    private final List<Map<String, String>> transportSettings;
    private final List<Transport> transports = new ArrayList<>();
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicBoolean offering = new java.util.concurrent.atomic.AtomicBoolean();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "muster-long-poll");
        t.setDaemon(true);
        return t;
    });

    Coordinator(Settings settings, Store store, boolean ownsStore, TrustPolicy policy,
                Map<String, Validator> validators, Listeners listeners, KeyPair signingKey,
                ChallengeIssuer challenges, List<TransportProvider> transportProviders,
                List<Map<String, String>> transportSettings) {
        this.settings = settings;
        this.clock = settings.clock();
        this.store = store;
        this.ownsStore = ownsStore;
        this.policy = policy;
        this.validators = validators;
        this.listeners = listeners;
        this.signer = new Signatures.Signer(signingKey);
        this.publicKey = signingKey.getPublic();
        this.challenges = challenges;
        this.storeWatch = new StoreWatch(store, clock);
        this.transportProviders = List.copyOf(transportProviders);
        this.transportSettings = List.copyOf(transportSettings);
        this.workerThrottle = settings.workerLeaseRate() > 0 ? new Throttle(settings.workerLeaseRate()) : null;
        this.ownerThrottle = settings.ownerLeaseRate() > 0 ? new Throttle(settings.ownerLeaseRate()) : null;
        this.rejectionLog = new RejectionLog(store, listeners, settings.rejectionsPerMinute());
        this.healthSweep = new HealthSweep(store, settings.heartbeatInterval(), settings.offlineAfter(), this::released);
    }

    /** @return a builder with default settings */
    public static CoordinatorBuilder builder() {
        return new CoordinatorBuilder();
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Starts serving, and starts housekeeping on a daemon thread unless its interval is zero.
     *
     * @throws CoordinatorStateException if already started or stopped
     */
    public synchronized void start() {
        if (!state.compareAndSet(State.NEW, State.RUNNING)) {
            throw new CoordinatorStateException("coordinator cannot start: it is " + state.get());
        }
        storeWatch.started();
        if (!settings.housekeepingInterval().isZero()) {
            housekeeper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "muster-housekeeping");
                t.setDaemon(true);
                return t;
            });
            long period = settings.housekeepingInterval().toMillis();
            housekeeper.scheduleWithFixedDelay(this::housekeepQuietly, period, period, TimeUnit.MILLISECONDS);
        }
        try {
            for (int i = 0; i < transportProviders.size(); i++) {
                Transport t = transportProviders.get(i).create(this, transportSettings.get(i));
                transports.add(t);
                t.start();
                LOG.info("{} transport listening on {}", transportProviders.get(i).name(), t.address());
            }
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        LOG.info("coordinator started: trust policy {}, validators {}, signatures {}", policy.name(),
                validators.keySet(), settings.signatures() ? "on" : "off");
    }

    /** @return the running transports, in the order they were configured */
    public List<Transport> transports() {
        return List.copyOf(transports);
    }

    /** Stops serving, stops housekeeping, and closes the store if the coordinator opened it. Idempotent. */
    public synchronized void stop() {
        if (state.getAndSet(State.STOPPED) == State.STOPPED) {
            return;
        }
        timer.shutdownNow();
        for (Waiter w : waiters) {
            w.future().completeExceptionally(new CoordinatorStateException("coordinator stopped"));
        }
        waiters.clear();
        for (Transport t : transports) {
            try {
                t.close();
            } catch (RuntimeException e) {
                LOG.warn("transport {} failed to close", t.address(), e);
            }
        }
        if (housekeeper != null) {
            housekeeper.shutdownNow();
        }
        if (ownsStore) {
            store.close();
        }
        LOG.info("coordinator stopped");
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /** @return whether {@link #start()} was called and {@link #stop()} was not */
    public boolean isRunning() {
        return state.get() == State.RUNNING;
    }

    private void requireRunning() {
        State s = state.get();
        if (s != State.RUNNING) {
            throw new CoordinatorStateException("coordinator is " + (s == State.NEW ? "not started" : "stopped"));
        }
    }

    @Override
    public Readiness readiness() {
        State s = state.get();
        if (s != State.RUNNING) {
            return Readiness.notReady("the coordinator is " + (s == State.NEW ? "not started" : "stopped"));
        }
        StoreHealth health = storeWatch.health();
        return health.available() ? Readiness.READY : Readiness.notReady(health.reason());
    }

    /** @return the public key that verifies this coordinator's ticket signatures */
    public PublicKey publicKey() {
        return publicKey;
    }

    /** @return the trust policy in force; an {@code AllowlistPolicy} can be edited while running */
    public TrustPolicy trustPolicy() {
        return policy;
    }

    /**
     * @return rejections left out of the rejection log since start because their worker was over
     *     its share of the log (each worker's are also summed up in a {@code SUPPRESSED} log entry)
     */
    public long suppressedRejections() {
        return rejectionLog.suppressed();
    }

    /** @return how many times an event listener threw since start */
    public long listenerFailures() {
        return listeners.failures();
    }

    // ------------------------------------------------------------------ workers

    @Override
    public Challenge challenge() {
        requireRunning();
        return challenges.issue(clock.instant());
    }

    @Override
    public Worker register(Registration registration) {
        requireRunning();
        Checks.notNull(registration, "registration");
        Instant now = clock.instant();
        Ed25519PublicKeyParameters key = Signatures.publicKey(registration.publicKey());
        WorkerId id = WorkerId.of(registration.publicKey());
        String stale = challenges.problem(registration.challenge(), now);
        if (stale != null) {
            throw new BadSignatureException(stale);
        }
        if (!Signatures.verify(key, registration.signedBytes(), registration.signature())) {
            throw new BadSignatureException("registration proof of worker " + id
                    + " does not verify against its public key");
        }
        if (!settings.allowedClientBuilds().isEmpty()
                && !settings.allowedClientBuilds().contains(registration.clientBuild())) {
            throw new RegistrationRefusedException("client build '" + registration.clientBuild()
                    + "' of worker " + id + " is not one of the allowed builds");
        }
        Optional<Worker> existing = store.worker(id);
        if (existing.isPresent() && existing.get().state() == WorkerState.BANNED) {
            throw new RegistrationRefusedException("worker " + id + " is banned");
        }
        policy.admit(registration, id);
        // An admin's drain outlasts re-registration; anything else (offline, left) starts afresh.
        WorkerState state = existing.isPresent() && existing.get().state() == WorkerState.DRAINING
                ? WorkerState.DRAINING : WorkerState.ACTIVE;
        Worker worker = new Worker(id, registration.publicKey(), registration.owner(), registration.capabilities(),
                registration.clientBuild(), registration.maxConcurrentLeases(), state,
                existing.map(Worker::registeredAt).orElse(now), now);
        store.saveWorker(worker);
        workerKeys.put(id, key);
        LOG.info("worker {} of owner '{}' registered ({} cores, build {}){}", id, worker.owner(),
                worker.capabilities().cores(), worker.clientBuild(),
                state == WorkerState.DRAINING ? "; it stays drained until an admin resumes it" : "");
        return worker;
    }

    private Worker requireWorker(WorkerId id) {
        Checks.notNull(id, "worker id");
        return store.worker(id).orElseThrow(() -> new UnknownWorkerException("worker " + id + " is not registered"));
    }

    private Worker requireUsableWorker(WorkerId id) {
        Worker w = requireWorker(id);
        if (w.state() == WorkerState.BANNED) {
            throw new WorkerBannedException("worker " + id + " is banned");
        }
        return w;
    }

    /**
     * A sign of life brings a degraded or offline worker back; a draining one stays draining.
     * Health is judged in heartbeat intervals (30 s by default), so a worker seen within the last
     * second is not touched again: that keeps a store write off every lease and report.
     */
    private Worker alive(Worker w, Instant now) {
        if (w.state() == WorkerState.ACTIVE && now.toEpochMilli() - w.lastSeen().toEpochMilli() < 1_000) {
            return w;
        }
        store.touch(w.id(), now);
        if (w.state() == WorkerState.DEGRADED || w.state() == WorkerState.OFFLINE) {
            return store.setWorkerState(w.id(), WorkerState.ACTIVE).orElse(w);
        }
        return w;
    }

    @Override
    public void heartbeat(WorkerId worker) {
        requireRunning();
        alive(requireUsableWorker(worker), clock.instant());
    }

    @Override
    public TicketBatch lease(WorkerId id, int max) {
        requireRunning();
        Checks.range(max, "max", 1, settings.maxLeaseBatch());
        Instant now = clock.instant();
        Worker w = alive(requireUsableWorker(id), now);
        List<Ticket> tickets;
        int allowed = w.state().canLease() ? throttle(w, max, now) : 0;
        if (allowed == 0) {
            tickets = List.of();
        } else {
            List<LeasedJob> leased = store.lease(new LeaseRequest(id, w.owner(), w.capabilities(), allowed,
                    w.maxConcurrentLeases(), settings.ownerLeaseLimit(), policy.distinctOwners(), now));
            refund(w, allowed - leased.size());
            tickets = new ArrayList<>(leased.size());
            for (LeasedJob l : leased) {
                Job job = l.job();
                tickets.add(new Ticket(job.id(), l.lease().replica(), job.spec().type(), job.spec(),
                        job.payloadDigest(), l.lease().deadline()));
            }
        }
        // An empty batch grants nothing, so idle polls (and long-poll retries) cost no signature.
        byte[] signature = settings.signatures() && !tickets.isEmpty()
                ? signer.sign(SignedBytes.tickets(id, now, tickets)) : new byte[0];
        return new TicketBatch(id, now, tickets, signature);
    }

    /** @return how many of {@code max} jobs the worker's and its owner's lease rates allow now */
    private int throttle(Worker w, int max, Instant now) {
        int allowed = max;
        if (workerThrottle != null) {
            allowed = workerThrottle.take(w.id().value(), allowed, now);
        }
        if (ownerThrottle != null && allowed > 0) {
            int ownerAllowed = ownerThrottle.take(w.owner(), allowed, now);
            if (workerThrottle != null) {
                workerThrottle.refund(w.id().value(), allowed - ownerAllowed);
            }
            allowed = ownerAllowed;
        }
        return allowed;
    }

    private void refund(Worker w, int unused) {
        if (workerThrottle != null) {
            workerThrottle.refund(w.id().value(), unused);
        }
        if (ownerThrottle != null) {
            ownerThrottle.refund(w.owner(), unused);
        }
    }

    /** A worker waiting for work (a long poll). */
    private record Waiter(WorkerId worker, int max, CompletableFuture<TicketBatch> future) {}

    @Override
    public CompletableFuture<TicketBatch> leaseAsync(WorkerId id, int max, Duration wait) {
        Checks.notNull(wait, "wait");
        if (wait.isNegative() || wait.compareTo(MAX_WAIT) > 0) {
            throw new InvalidRequestException("wait is " + wait + "; it must be between 0 and " + MAX_WAIT);
        }
        TicketBatch now = lease(id, max);
        if (!now.tickets().isEmpty() || wait.isZero()) {
            return CompletableFuture.completedFuture(now);
        }
        Waiter w = new Waiter(id, max, new CompletableFuture<>());
        waiters.add(w);
        // Work may have arrived between the lease above and joining the waiters.
        offer(w);
        ScheduledFuture<?> timeout = timer.schedule(() -> {
            waiters.remove(w);
            if (!w.future().isDone()) {
                try {
                    w.future().complete(lease(w.worker(), w.max()));
                } catch (RuntimeException e) {
                    w.future().completeExceptionally(e);
                }
            }
        }, wait.toMillis(), TimeUnit.MILLISECONDS);
        w.future().whenComplete((b, e) -> timeout.cancel(false));
        return w.future();
    }

    /** Tries to serve one waiter; it stays waiting if nothing fits it. */
    private void offer(Waiter w) {
        if (w.future().isDone()) {
            waiters.remove(w);
            return;
        }
        try {
            TicketBatch b = lease(w.worker(), w.max());
            if (!b.tickets().isEmpty()) {
                waiters.remove(w);
                if (!w.future().complete(b)) {
                    LOG.warn("tickets leased to {} after its wait ended; they will expire and be retried", w.worker());
                }
            }
        } catch (RuntimeException e) {
            waiters.remove(w);
            w.future().completeExceptionally(e);
        }
    }

    /** New or returned work: let waiting workers try again, on the timer thread so the caller is not held up. */
    private void workArrived() {
        // One pass at a time is enough: a pass started after this call sees this call's work.
        if (!waiters.isEmpty() && isRunning() && offering.compareAndSet(false, true)) {
            timer.execute(() -> {
                offering.set(false);
                for (Waiter w : List.copyOf(waiters)) {
                    offer(w);
                }
            });
        }
    }

    @Override
    public List<ReportOutcome> report(ResultBatch batch) {
        requireRunning();
        Checks.notNull(batch, "batch");
        Checks.range(batch.results().size(), "results in one report", 1, settings.maxReportBatch());
        Instant now = clock.instant();
        Worker w = requireUsableWorker(batch.worker());
        if (settings.signatures() && !Signatures.verify(keyOf(w), batch.signedBytes(), batch.signature())) {
            rejectionLog.record(new Rejection(now, w.id(), null, -1, RejectionReason.BAD_SIGNATURE,
                    "signature over a batch of " + batch.results().size() + " results does not verify"));
            throw new BadSignatureException("result batch signature of worker " + w.id()
                    + " does not verify against its registered key; no result in the batch was recorded");
        }
        alive(w, now);

        List<ResultReport> reports = batch.results();
        ReportOutcome[] outcomes = new ReportOutcome[reports.size()];
        List<ResultRecord> records = new ArrayList<>(reports.size());
        int[] positions = new int[reports.size()];
        List<JobId> ids = new ArrayList<>(reports.size());
        for (ResultReport r : reports) {
            ids.add(r.jobId());
        }
        Map<JobId, Job> jobs = store.jobsById(ids);
        ResultPrecheck precheck = new ResultPrecheck(store, validators, rejectionLog, settings.maxResultBytes(), w.id(),
                now);
        for (int i = 0; i < reports.size(); i++) {
            ResultReport r = reports.get(i);
            ReportOutcome early = precheck.check(r, jobs.get(r.jobId()), records);
            if (early != null) {
                outcomes[i] = early;
            } else {
                positions[records.size() - 1] = i;
            }
        }
        if (!records.isEmpty()) {
            List<ResultOutcome> stored = store.recordResults(w.id(), records, now, policy);
            // Invalid results and disagreement put replicas back in the queue.
            workArrived();
            for (int k = 0; k < stored.size(); k++) {
                outcomes[positions[k]] = publish(w.id(), stored.get(k), now);
            }
        }
        return List.of(outcomes);
    }

    private ReportOutcome publish(WorkerId worker, ResultOutcome o, Instant now) {
        if (o.reason() != null) {
            rejectionLog.record(new Rejection(now, worker, o.jobId(), o.replica(), o.reason(), o.detail()));
        }
        for (StoredResult s : o.outvoted()) {
            rejectionLog.record(new Rejection(now, s.worker(), s.jobId(), s.replica(), RejectionReason.OUTVOTED,
                    "result " + s.resultDigest() + " disagrees with the accepted " + o.job().acceptedDigest()));
        }
        if (o.finishedNow() && !listeners.isEmpty()) {
            Job job = o.job();
            if (job.state() == JobState.ACCEPTED) {
                listeners.publish(new CoordinatorEvent.JobAccepted(job, o.acceptedResult(), o.credits(), now));
            } else if (job.state() == JobState.FAILED) {
                listeners.publish(new CoordinatorEvent.JobFailed(job, now));
            }
        }
        return new ReportOutcome(o.jobId(), o.replica(), o.status(), o.reason(), o.detail());
    }

    private Ed25519PublicKeyParameters keyOf(Worker w) {
        return workerKeys.computeIfAbsent(w.id(), id -> Signatures.publicKey(w.publicKey()));
    }

    @Override
    public List<TicketRef> release(WorkerId worker, List<TicketRef> tickets, ReleaseReason reason) {
        requireRunning();
        TicketRefs.check(tickets, settings.maxReportBatch());
        Checks.notNull(reason, "reason");
        Instant now = clock.instant();
        Worker w = alive(requireUsableWorker(worker), now);
        List<Released> released = store.releaseLeases(w.id(), tickets, now, reason);
        LOG.debug("worker {} gave up {} of {} tickets ({})", w.id(), released.size(), tickets.size(), reason);
        released(released, now);
        return TicketRefs.of(released);
    }

    @Override
    public void drain(WorkerId worker) {
        requireRunning();
        Worker w = requireUsableWorker(worker);
        store.setWorkerState(w.id(), WorkerState.DRAINING);
        LOG.info("worker {} is draining until an admin resumes it", worker);
    }

    @Override
    public Worker resume(WorkerId worker) {
        requireRunning();
        Worker w = requireWorker(worker);
        if (w.state() != WorkerState.DRAINING) {
            return w;
        }
        LOG.info("worker {} resumed", worker);
        return store.setWorkerState(w.id(), WorkerState.ACTIVE).orElse(w);
    }

    @Override
    public void leave(WorkerId worker) {
        requireRunning();
        Worker w = requireUsableWorker(worker);
        // Leaving must not turn an admin's drain into something re-registering lifts.
        if (w.state() != WorkerState.DRAINING) {
            store.setWorkerState(w.id(), WorkerState.LEAVING);
            LOG.info("worker {} is leaving", worker);
        }
    }

    /**
     * Lifts a ban or ends a drain: the worker is active again.
     *
     * @throws UnknownWorkerException if the worker never registered
     */
    public void reinstate(WorkerId worker) {
        requireRunning();
        requireWorker(worker);
        store.setWorkerState(worker, WorkerState.ACTIVE);
        store.touch(worker, clock.instant());
    }

    @Override
    public void ban(WorkerId worker, String reason) {
        requireRunning();
        Limits.BAN_REASON.text(reason);
        requireWorker(worker);
        Instant now = clock.instant();
        store.setWorkerState(worker, WorkerState.BANNED);
        released(store.releaseLeases(worker, now, "worker banned"), now);
        LOG.warn("worker {} banned: {}", worker, reason);
        if (!listeners.isEmpty()) {
            listeners.publish(new CoordinatorEvent.WorkerBanned(worker, reason, now));
        }
    }

    @Override
    public Optional<Worker> worker(WorkerId id) {
        requireRunning();
        Checks.notNull(id, "worker id");
        return store.worker(id);
    }

    // ------------------------------------------------------------------ submitters

    @Override
    public List<Job> submit(List<JobSpec> specs) {
        requireRunning();
        Checks.notNull(specs, "jobs");
        Checks.range(specs.size(), "jobs in one submission", 1, settings.maxSubmitBatch());
        Instant now = clock.instant();
        List<NewJob> batch = new ArrayList<>(specs.size());
        for (int i = 0; i < specs.size(); i++) {
            JobSpec spec = Checks.notNull(specs.get(i), "jobs[" + i + "]");
            if (!validators.containsKey(spec.type())) {
                throw new UnknownJobTypeException("jobs[" + i + "] has type '" + spec.type()
                        + "', which no validator handles; known types: " + validators.keySet());
            }
            if (spec.payloadSize() > settings.maxPayloadBytes()) {
                throw new InvalidRequestException("jobs[" + i + "] payload is " + spec.payloadSize()
                        + " bytes; the limit is " + settings.maxPayloadBytes());
            }
            String payloadDigest = spec.payloadDigest();
            batch.add(new NewJob(spec, spec.contentDigest(payloadDigest), payloadDigest, policy.initialReplicas(spec),
                    now));
        }
        List<Submitted> stored = store.submit(batch);
        List<Job> out = new ArrayList<>(stored.size());
        for (Submitted s : stored) {
            out.add(s.job());
        }
        workArrived();
        return out;
    }

    @Override
    public Optional<Job> job(JobId id) {
        requireRunning();
        Checks.notNull(id, "job id");
        return store.job(id);
    }

    @Override
    public List<Job> jobs(JobQuery query) {
        requireRunning();
        Checks.notNull(query, "query");
        return store.jobs(query);
    }

    @Override
    public Optional<byte[]> acceptedResult(JobId id) {
        requireRunning();
        Checks.notNull(id, "job id");
        Optional<Job> job = store.job(id);
        if (job.isEmpty() || job.get().acceptedDigest() == null) {
            return Optional.empty();
        }
        String digest = job.get().acceptedDigest();
        return store.results(id).stream().filter(r -> r.valid() && r.resultDigest().equals(digest)).findFirst()
                .map(r -> r.result().clone());
    }

    @Override
    public List<Worker> workers(int offset, int limit) {
        requireRunning();
        Checks.range(offset, "offset", 0, Integer.MAX_VALUE);
        Checks.range(limit, "limit", 1, 1_000);
        return store.workers(offset, limit);
    }

    @Override
    public boolean allow(PublicKey key) {
        requireRunning();
        return allowlist().allow(Checks.notNull(key, "public key"));
    }

    @Override
    public boolean revoke(PublicKey key) {
        requireRunning();
        return allowlist().revoke(Checks.notNull(key, "public key"));
    }

    private AllowlistPolicy allowlist() {
        if (policy instanceof AllowlistPolicy a) {
            return a;
        }
        throw new InvalidRequestException("trust policy '" + policy.name() + "' keeps no allowlist");
    }

    /** @return every result recorded for a job, valid or not, oldest first */
    public List<StoredResult> results(JobId id) {
        requireRunning();
        Checks.notNull(id, "job id");
        return store.results(id);
    }

    @Override
    public Job cancel(JobId id) {
        requireRunning();
        Checks.notNull(id, "job id");
        Instant now = clock.instant();
        Job before = store.job(id).orElseThrow(() -> new UnknownJobException("there is no job " + id));
        Job after = store.cancel(id, now, "cancelled").orElseThrow(() -> new UnknownJobException("there is no job " + id));
        if (!before.state().isFinal() && after.state() == JobState.CANCELLED && !listeners.isEmpty()) {
            listeners.publish(new CoordinatorEvent.JobCancelled(after, now));
        }
        return after;
    }

    // ------------------------------------------------------------------ queries

    @Override
    public List<LeaderboardEntry> leaderboard(LeaderboardScope scope, Duration window, int limit) {
        requireRunning();
        Checks.notNull(scope, "scope");
        Checks.range(limit, "limit", 1, 10_000);
        if (window != null && (window.isNegative() || window.isZero())) {
            throw new InvalidRequestException("leaderboard window must be positive, was " + window);
        }
        if (window != null && window.compareTo(MAX_LEADERBOARD_WINDOW) > 0) {
            // A longer window could take the start before Instant.MIN (a DateTimeException, not a bad request).
            throw new InvalidRequestException("leaderboard window is " + window + "; the longest is "
                    + MAX_LEADERBOARD_WINDOW.toDays() + " days (" + MAX_LEADERBOARD_WINDOW + ")");
        }
        return store.leaderboard(scope, window == null ? null : clock.instant().minus(window), limit);
    }

    @Override
    public List<Rejection> rejections(int limit) {
        requireRunning();
        Checks.range(limit, "limit", 1, 10_000);
        return store.rejections(limit);
    }

    @Override
    public PoolSummary summary() {
        requireRunning();
        return store.summary();
    }

    // ------------------------------------------------------------------ housekeeping

    /**
     * Expires overdue leases and sweeps worker health: a worker silent for one heartbeat interval
     * is degraded; one silent for {@code offlineAfter} is offline (or, if an admin drained it, stays
     * draining) and its leases return to the queue at once; jobs finished longer ago than {@code purgeAfter} are purged from the store, a
     * batch per round. Silence is measured from the last sign of life, or from the moment this
     * coordinator started or its store became available again if that is later: workers could not
     * reach the coordinator before, so after a restart or a store outage each gets the whole
     * {@code offlineAfter} to show itself. A round is skipped while the store is unavailable.
     * Runs on its own thread after {@link #start()} unless the housekeeping interval is zero;
     * tests with a fake clock call it directly. When several coordinators share
     * a store, only the one the store names ({@link Store#leadsHousekeeping()}) does the work,
     * except writing this coordinator's own counts of rejections left out of the log, which all do.
     */
    public void runHousekeeping() {
        requireRunning();
        if (!storeWatch.check().available()) {
            return;
        }
        Instant now = clock.instant();
        // Rejection buckets are this coordinator's own, in memory: only it can write their counts or
        // forget them, whichever coordinator leads the shared work below.
        rejectionLog.flush(now);
        if (!store.leadsHousekeeping()) {
            return;
        }
        Instant availableSince = storeWatch.availableSince();
        List<Released> expired;
        do {
            expired = store.expireLeases(now, SWEEP_LIMIT);
            released(expired, now);
        } while (expired.size() >= SWEEP_LIMIT);

        healthSweep.run(now, availableSince);
        if (!settings.purgeAfter().isZero()) {
            // One bounded batch per round keeps a round short however much history has piled up.
            int purged = store.purgeFinished(now.minus(settings.purgeAfter()), SWEEP_LIMIT);
            if (purged > 0) {
                LOG.debug("purged {} jobs finished more than {} ago", purged, settings.purgeAfter());
            }
        }
    }

    private void housekeepQuietly() {
        try {
            if (isRunning()) {
                runHousekeeping();
            }
        } catch (StoreUnavailableException e) {
            // The store logs its outages once; a log line per round would only repeat it.
            LOG.debug("housekeeping skipped a round: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("housekeeping failed; it will run again", e);
        }
    }

    private void released(List<Released> released, Instant now) {
        if (!released.isEmpty()) {
            workArrived();
        }
        for (Released r : released) {
            if (r.job().state() == JobState.FAILED) {
                LOG.info("job {} failed: {}", r.job().id(), r.job().failureReason());
                if (!listeners.isEmpty()) {
                    listeners.publish(new CoordinatorEvent.JobFailed(r.job(), now));
                }
            }
        }
    }
}
