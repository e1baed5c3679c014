package dev.muster.core;

import dev.muster.spi.Challenge;
import dev.muster.spi.Checks;
import dev.muster.spi.CoordinatorApi;
import dev.muster.spi.CoordinatorStateException;
import dev.muster.spi.Job;
import dev.muster.spi.JobId;
import dev.muster.spi.JobProgress;
import dev.muster.spi.JobQuery;
import dev.muster.spi.JobSpec;
import dev.muster.spi.LeaderboardEntry;
import dev.muster.spi.LeaderboardScope;
import dev.muster.spi.OwnerAccount;
import dev.muster.spi.OwnerCredentials;
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
import dev.muster.spi.policy.KeyTrust;
import dev.muster.spi.policy.StoredResult;
import dev.muster.spi.policy.TrustPolicy;
import dev.muster.spi.store.Store;
import dev.muster.spi.store.StoreHealth;
import dev.muster.spi.transport.Exposition;
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
 * and hands the call to the package-private collaborator ({@link Engine}) that owns its concern:
 * {@link Registrar} (registration), {@link OwnerAccounts}, {@link WorkerStates} (signs of life, drain, ban),
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
    private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);

    private enum State { NEW, RUNNING, STOPPING, STOPPED }

    private final CoordinatorSettings settings;
    private final InstantSource clock;
    private final Store store;
    private final boolean ownsStore;
    private final TrustPolicy policy;
    private final Map<String, Validator> validators;
    private final PublicKey publicKey;
    private final LongPolls longPolls;
    private final Engine engine;
    private final Activity activity;
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
        this.publicKey = signingKey.getPublic();
        this.transports = new Transports(transportProviders, transportSettings);
        this.longPolls = new LongPolls(this::lease, this::isRunning, settings.maxLongPoll());
        this.engine = new Engine(settings, store, policy, validators, listeners, signingKey, challenges,
                longPolls::workArrived);
        this.activity = new Activity(engine, longPolls);
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
        engine.storeWatch.started();
        engine.housekeeping.start(() -> {
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

    /**
     * Stops gracefully: readiness answers 503 at once, long polls are answered, transports stop
     * taking requests and give those in flight their grace period, then housekeeping stops and the
     * store closes if the coordinator opened it. Calls in flight meanwhile are still served.
     * Idempotent.
     */
    public synchronized void stop() {
        if (state.getAndUpdate(s -> s == State.RUNNING ? State.STOPPING : State.STOPPED) == State.STOPPED) {
            return;
        }
        longPolls.stop();
        transports.close();
        state.set(State.STOPPED);
        engine.housekeeping.stop();
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

    /** Lets a call through while running, and while stopping (requests in flight). */
    private void requireRunning() {
        State s = state.get();
        if (s != State.RUNNING && s != State.STOPPING) {
            throw new CoordinatorStateException("coordinator is " + notRunning());
        }
    }

    private String notRunning() {
        State s = state.get();
        return s == State.NEW ? "not started" : s == State.STOPPING ? "stopping" : "stopped";
    }

    @Override
    public Readiness readiness() {
        if (state.get() != State.RUNNING) {
            return Readiness.notReady("the coordinator is " + notRunning());
        }
        StoreHealth health = engine.storeWatch.health();
        return health.available() ? Readiness.READY : Readiness.notReady(health.reason());
    }

    @Override
    public Optional<PublicKey> ticketSigningKey() {
        return settings.signatures() ? Optional.of(publicKey) : Optional.empty();
    }

    /** @return the trust policy in force; one with an {@link TrustPolicy#allowlist() allowlist} is editable */
    public TrustPolicy trustPolicy() {
        return policy;
    }

    /** @return what this coordinator counts in memory: listener failures, suppressed rejections, waiters */
    public Activity activity() {
        return activity;
    }

    @Override
    public List<Exposition> expositions() {
        return settings.instrumentation().expositions();
    }

    // ------------------------------------------------------------------ workers

    @Override
    public Challenge challenge() {
        requireRunning();
        return engine.registrar.challenge(clock.instant());
    }

    @Override
    public Worker register(Registration registration) {
        requireRunning();
        return engine.registrar.register(Checks.notNull(registration, "registration"), clock.instant());
    }

    @Override
    public boolean verifySignature(WorkerId worker, byte[] message, byte[] signature) {
        requireRunning();
        return Signatures.verify(engine.registrar.keyOf(Checks.notNull(worker, "worker id")),
                Checks.notNull(message, "message"), Checks.notNull(signature, "signature"));
    }

    @Override
    public void heartbeat(WorkerId worker) {
        requireRunning();
        engine.workers.alive(engine.workers.requireUsable(worker), clock.instant());
    }

    @Override
    public TicketBatch lease(WorkerId id, int max) {
        requireRunning();
        return engine.dispatch.lease(id, max, clock.instant());
    }

    @Override
    public CompletableFuture<TicketBatch> leaseAsync(WorkerId id, int max, Duration wait) {
        return longPolls.leaseAsync(id, max, wait);
    }

    @Override
    public List<ReportOutcome> report(ResultBatch batch) {
        requireRunning();
        return engine.intake.report(batch, clock.instant());
    }

    @Override
    public List<TicketRef> release(WorkerId worker, List<TicketRef> tickets, ReleaseReason reason, String detail) {
        requireRunning();
        return engine.dispatch.release(worker, tickets, reason, detail, clock.instant());
    }

    @Override
    public void drain(WorkerId worker) {
        requireRunning();
        engine.workers.drain(worker);
    }

    @Override
    public Worker resume(WorkerId worker) {
        requireRunning();
        return engine.workers.resume(worker);
    }

    @Override
    public void leave(WorkerId worker) {
        requireRunning();
        engine.workers.leave(worker);
    }

    /** Lifts a ban or ends a drain. @throws UnknownWorkerException if the worker never registered */
    public void reinstate(WorkerId worker) {
        requireRunning();
        engine.workers.reinstate(worker, clock.instant());
    }

    @Override
    public void ban(WorkerId worker, String reason) {
        requireRunning();
        engine.workers.ban(worker, reason, clock.instant());
    }

    @Override
    public OwnerCredentials createOwner(String name) {
        requireRunning();
        return engine.owners.create(name, clock.instant());
    }

    @Override
    public OwnerCredentials signUp(String name) {
        requireRunning();
        return engine.owners.signUp(name, clock.instant());
    }

    @Override
    public Optional<OwnerAccount> ownerAccount(String name) {
        requireRunning();
        return store.owner(Checks.notNull(name, "owner name"));
    }

    @Override
    public List<OwnerAccount> ownerAccounts(String afterName, int limit) {
        requireRunning();
        return store.owners(afterName, (int) Checks.range(limit, "limit", 1, 1_000));
    }

    @Override
    public OwnerAccount banOwner(String name, String reason) {
        requireRunning();
        return engine.owners.ban(Checks.notNull(name, "owner name"), reason, clock.instant(),
                (w, why, now) -> engine.workers.ban(w.id(), why, now));
    }

    @Override
    public Optional<Worker> worker(WorkerId id) {
        requireRunning();
        return store.worker(Checks.notNull(id, "worker id"));
    }

    @Override
    public KeyTrust standing(WorkerId worker) {
        requireRunning();
        return store.trust(engine.workers.require(worker).id());
    }

    @Override
    public List<Worker> workers(WorkerId after, int limit) {
        requireRunning();
        return store.workers(after, (int) Checks.range(limit, "limit", 1, 1_000));
    }

    @Override
    public boolean allow(PublicKey key) {
        requireRunning();
        return engine.workers.allowlist().allow(Checks.notNull(key, "public key"));
    }

    @Override
    public boolean revoke(WorkerId worker) {
        requireRunning();
        return engine.workers.allowlist().revoke(Checks.notNull(worker, "worker id"));
    }

    // ------------------------------------------------------------------ submitters

    @Override
    public List<Job> submit(List<JobSpec> specs) {
        requireRunning();
        return engine.submissions.submit(specs, clock.instant());
    }

    @Override
    public Optional<Job> job(JobId id) {
        requireRunning();
        return store.job(Checks.notNull(id, "job id"));
    }

    @Override
    public List<Job> jobs(JobQuery query) {
        requireRunning();
        return store.jobs(Checks.notNull(query, "query"));
    }

    @Override
    public Optional<byte[]> acceptedResult(JobId id) {
        requireRunning();
        return engine.submissions.acceptedResult(id);
    }

    @Override
    public Optional<JobProgress> progress(JobId id) {
        requireRunning();
        return engine.submissions.progress(id);
    }

    /** @return every result recorded for a job, valid or not, oldest first */
    public List<StoredResult> results(JobId id) {
        requireRunning();
        return store.results(Checks.notNull(id, "job id"));
    }

    @Override
    public Job cancel(JobId id) {
        requireRunning();
        return engine.submissions.cancel(id, clock.instant());
    }

    @Override
    public List<LeaderboardEntry> leaderboard(LeaderboardScope scope, Duration window, int limit) {
        requireRunning();
        Checks.range(limit, "limit", 1, 10_000);
        return store.leaderboard(Checks.notNull(scope, "scope"), LeaderboardWindow.since(window, clock.instant()),
                limit);
    }

    @Override
    public List<Rejection> rejections(int limit) {
        requireRunning();
        return store.rejections((int) Checks.range(limit, "limit", 1, 10_000));
    }

    @Override
    public PoolSummary summary() {
        requireRunning();
        return store.summary();
    }

    @Override
    public dev.muster.spi.PoolStatus status() {
        requireRunning();
        return engine.status.status();
    }

    @Override
    public Optional<dev.muster.spi.OwnerProfile> ownerProfile(String owner) {
        requireRunning();
        return engine.status.ownerProfile(owner);
    }

    /**
     * Runs one round of housekeeping ({@link Housekeeping}: lease expiry, worker health, backtracking,
     * purging); skipped while the store is unavailable. It runs on its own thread after {@link #start()}
     * unless the interval is zero; tests with a fake clock call it. On a shared store only the
     * coordinator the store names ({@link Store#leadsHousekeeping()}) does the shared work.
     */
    public void runHousekeeping() {
        requireRunning();
        engine.housekeeping.round();
    }
}
