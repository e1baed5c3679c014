package dev.muster.core;

import dev.muster.spi.Challenge;
import dev.muster.spi.Checks;
import dev.muster.spi.CoordinatorApi;
import dev.muster.spi.CoordinatorStateException;
import dev.muster.spi.InvalidRequestException;
import dev.muster.spi.Job;
import dev.muster.spi.JobId;
import dev.muster.spi.JobQuery;
import dev.muster.spi.JobSpec;
import dev.muster.spi.LeaderboardEntry;
import dev.muster.spi.LeaderboardScope;
import dev.muster.spi.PoolSummary;
import dev.muster.spi.Readiness;
import dev.muster.spi.Registration;
import dev.muster.spi.Rejection;
import dev.muster.spi.ReleaseReason;
import dev.muster.spi.ReportOutcome;
import dev.muster.spi.ResultBatch;
import dev.muster.spi.TicketBatch;
import dev.muster.spi.TicketRef;
import dev.muster.spi.UnknownWorkerException;
import dev.muster.spi.Validator;
import dev.muster.spi.Worker;
import dev.muster.spi.WorkerId;
import dev.muster.spi.policy.Allowlist;
import dev.muster.spi.policy.KeyTrust;
import dev.muster.spi.policy.StoredResult;
import dev.muster.spi.policy.TrustPolicy;
import dev.muster.spi.store.Store;
import dev.muster.spi.store.StoreHealth;
import dev.muster.spi.transport.Transport;
import dev.muster.spi.transport.TransportProvider;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
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
 * <p>This class is a facade: it checks that the coordinator runs, reads the clock once per call
 * and hands the call to the package-private collaborator that owns its concern:
 * {@link Registrar} (registration), {@link WorkerStates} (signs of life, drain, ban),
 * {@link Dispatch} with {@link LeaseThrottle} (leases), {@link LongPolls}, {@link ResultIntake}
 * (reports), {@link Submissions} (jobs in and out), {@link Events} (what listeners and the
 * rejection log hear) and {@link Housekeeping}.
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

    private enum State { NEW, RUNNING, STOPPED }

    private final CoordinatorSettings settings;
    private final InstantSource clock;
    private final Store store;
    private final boolean ownsStore;
    private final TrustPolicy policy;
    private final Map<String, Validator> validators;
    private final Listeners listeners;
    private final PublicKey publicKey;
    private final StoreWatch storeWatch;
    private final RejectionLog rejectionLog;
    private final LeaseThrottle leaseThrottle;
    private final LongPolls longPolls;
    private final Events events;
    private final Registrar registrar;
    private final WorkerStates workers;
    private final Dispatch dispatch;
    private final ResultIntake intake;
    private final Submissions submissions;
    private final Housekeeping housekeeping;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final Transports transports;

    Coordinator(CoordinatorSettings settings, Store store, boolean ownsStore, TrustPolicy policy,
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
        this.publicKey = signingKey.getPublic();
        this.storeWatch = new StoreWatch(store, clock);
        this.transports = new Transports(transportProviders, transportSettings);
        this.rejectionLog = new RejectionLog(store, listeners, settings.rejectionsPerMinute());
        this.leaseThrottle = new LeaseThrottle(settings.workerLeaseRate(), settings.ownerLeaseRate(), clock);
        this.longPolls = new LongPolls(this::lease, this::isRunning, settings.maxLongPoll());
        this.events = new Events(listeners, rejectionLog, longPolls::workArrived);
        this.registrar = new Registrar(store, policy, challenges, settings.allowedClientBuilds());
        this.workers = new WorkerStates(store, policy, events);
        this.dispatch = new Dispatch(settings, store, policy, new Signatures.Signer(signingKey), workers, leaseThrottle,
                events);
        this.intake = new ResultIntake(settings, store, policy, validators, rejectionLog, registrar, workers, events,
                new SpotChecks(store, policy, events, settings.random()));
        this.submissions = new Submissions(settings, store, policy, validators, events);
        this.housekeeping = new Housekeeping(settings, store, storeWatch, rejectionLog, events,
                new Backtracking(store, policy, events));
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
        housekeeping.start(() -> {
            if (isRunning()) {
                runHousekeeping();
            }
        });
        try {
            transports.start(this);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        LOG.info("coordinator started: trust policy {}, validators {}, signatures {}", policy.name(),
                validators.keySet(), settings.signatures() ? "on" : "off");
    }

    /** @return the running transports, in the order they were configured */
    public List<Transport> transports() {
        return transports.running();
    }

    /** Stops serving, stops housekeeping, and closes the store if the coordinator opened it. Idempotent. */
    public synchronized void stop() {
        if (state.getAndSet(State.STOPPED) == State.STOPPED) {
            return;
        }
        longPolls.stop();
        transports.close();
        housekeeping.stop();
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

    @Override
    public Optional<PublicKey> ticketSigningKey() {
        return settings.signatures() ? Optional.of(publicKey) : Optional.empty();
    }

    /**
     * @return the trust policy in force; one with an {@link TrustPolicy#allowlist() allowlist} can be
     *     edited while running
     */
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

    /** @return workers whose lease-rate budget is held in memory now (those that leased within a second) */
    long throttledWorkers() {
        return leaseThrottle.workerKeys();
    }

    // ------------------------------------------------------------------ workers

    @Override
    public Challenge challenge() {
        requireRunning();
        return registrar.challenge(clock.instant());
    }

    @Override
    public Worker register(Registration registration) {
        requireRunning();
        Checks.notNull(registration, "registration");
        return registrar.register(registration, clock.instant());
    }

    @Override
    public boolean verifySignature(WorkerId worker, byte[] message, byte[] signature) {
        requireRunning();
        return Signatures.verify(registrar.keyOf(Checks.notNull(worker, "worker id")),
                Checks.notNull(message, "message"), Checks.notNull(signature, "signature"));
    }

    @Override
    public void heartbeat(WorkerId worker) {
        requireRunning();
        workers.alive(workers.requireUsable(worker), clock.instant());
    }

    @Override
    public TicketBatch lease(WorkerId id, int max) {
        requireRunning();
        return dispatch.lease(id, max, clock.instant());
    }

    @Override
    public CompletableFuture<TicketBatch> leaseAsync(WorkerId id, int max, Duration wait) {
        return longPolls.leaseAsync(id, max, wait);
    }

    @Override
    public List<ReportOutcome> report(ResultBatch batch) {
        requireRunning();
        return intake.report(batch, clock.instant());
    }

    @Override
    public List<TicketRef> release(WorkerId worker, List<TicketRef> tickets, ReleaseReason reason) {
        requireRunning();
        return dispatch.release(worker, tickets, reason, clock.instant());
    }

    @Override
    public void drain(WorkerId worker) {
        requireRunning();
        workers.drain(worker);
    }

    @Override
    public Worker resume(WorkerId worker) {
        requireRunning();
        return workers.resume(worker);
    }

    @Override
    public void leave(WorkerId worker) {
        requireRunning();
        workers.leave(worker);
    }

    /**
     * Lifts a ban or ends a drain: the worker is active again.
     *
     * @throws UnknownWorkerException if the worker never registered
     */
    public void reinstate(WorkerId worker) {
        requireRunning();
        workers.reinstate(worker, clock.instant());
    }

    @Override
    public void ban(WorkerId worker, String reason) {
        requireRunning();
        workers.ban(worker, reason, clock.instant());
    }

    @Override
    public Optional<Worker> worker(WorkerId id) {
        requireRunning();
        Checks.notNull(id, "worker id");
        return store.worker(id);
    }

    @Override
    public KeyTrust standing(WorkerId worker) {
        requireRunning();
        return store.trust(workers.require(worker).id());
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

    private Allowlist allowlist() {
        return policy.allowlist().orElseThrow(() -> new InvalidRequestException("trust policy '" + policy.name()
                + "' keeps no allowlist"));
    }

    // ------------------------------------------------------------------ submitters

    @Override
    public List<Job> submit(List<JobSpec> specs) {
        requireRunning();
        return submissions.submit(specs, clock.instant());
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
        return submissions.acceptedResult(id);
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
        return submissions.cancel(id, clock.instant());
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
        housekeeping.round();
    }
}
