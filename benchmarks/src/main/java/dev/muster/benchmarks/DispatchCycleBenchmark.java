package dev.muster.benchmarks;

import dev.muster.core.Coordinator;
import dev.muster.core.Instrumentation;
import dev.muster.core.metrics.MusterMetrics;
import dev.muster.core.policy.AllowlistPolicy;
import dev.muster.spi.Capabilities;
import dev.muster.spi.Challenge;
import dev.muster.spi.JobSpec;
import dev.muster.spi.Keys;
import dev.muster.spi.Registration;
import dev.muster.spi.ReportOutcome;
import dev.muster.spi.ReportStatus;
import dev.muster.spi.ResultBatch;
import dev.muster.spi.ResultReport;
import dev.muster.spi.SignedBytes;
import dev.muster.spi.Ticket;
import dev.muster.spi.TicketBatch;
import dev.muster.spi.Worker;
import dev.muster.spi.WorkerId;
import dev.muster.spi.WorkerState;
import dev.muster.store.memory.MemoryStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Provider;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The in-process dispatch cycle on a trusted pool with the memory store. Scores are jobs per
 * second.
 *
 * <ul>
 *   <li>{@code cycle}: lease {@value #BATCH} jobs, run them (a constant result), report them in
 *       one batch and have every one accepted. The {@value #BATCH} jobs that keep the queue at its
 *       depth are submitted before each operation, outside the measurement.</li>
 *   <li>{@code submitAndCycle}: the same with the submission measured too: the whole life of a
 *       job in the coordinator.</li>
 * </ul>
 *
 * <p>With {@code signatures=true} the coordinator signs each ticket batch and verifies each result
 * batch, and the simulated worker signs its result batch with BouncyCastle, so one signature
 * covers {@value #BATCH} jobs each way. {@code queued} is the queue depth kept up; {@code workers}
 * is how many workers are registered in all (the benchmark threads lease as the first of them).
 *
 * <pre>
 * mvn -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar DispatchCycle -t 1 -p queued=1000 -p workers=10
 * java -jar benchmarks/target/benchmarks.jar DispatchCycle -t 2 -p queued=1000 -p workers=10
 * java -jar benchmarks/target/benchmarks.jar DispatchCycle -t 1 -p signatures=false
 * java -jar benchmarks/target/benchmarks.jar DispatchCycleBenchmark.cycle -t 1 -p queued=1000 -p workers=10 \
 *      -p signatures=false,true -p metrics=none,micrometer
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class DispatchCycleBenchmark {
    static final int BATCH = 64;
    private static final byte[] RESULT = "winner=A turns=37".getBytes(StandardCharsets.UTF_8);
    private static final Provider BC = new BouncyCastleProvider();

    @Param({"false", "true"})
    public boolean signatures;

    @Param({"1000", "1000000"})
    public int queued;

    @Param({"10", "100000"})
    public int workers;

    /** {@code micrometer}: {@code MusterMetrics} bound to a Prometheus registry, as the standalone coordinator has. */
    @Param({"none", "micrometer"})
    public String metrics;

    Coordinator coordinator;
    AllowlistPolicy allowlist;
    final AtomicLong seeds = new AtomicLong();
    final AtomicLong nextWorker = new AtomicLong();
    final List<KeyPair> activeKeys = new ArrayList<>();

    @Setup(Level.Trial)
    public void setUp() {
        MemoryStore store = new MemoryStore(10_000, 10_000, 24);
        allowlist = new AllowlistPolicy(List.of());
        MusterMetrics meters = metrics.equals("micrometer") ? new MusterMetrics() : null;
        coordinator = Coordinator.builder().store(store).trustPolicy(allowlist).validator(new AcceptAll())
                .signatures(signatures).housekeepingInterval(Duration.ZERO).maxSubmitBatch(10_000)
                .instrumentation(meters == null ? Instrumentation.NONE : meters).build();
        if (meters != null) {
            meters.bindTo(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        } else if (!metrics.equals("none")) {
            throw new IllegalArgumentException("metrics is none or micrometer, not " + metrics);
        }
        coordinator.start();
        // Passive workers fill the registry; only the benchmark threads' workers lease.
        KeyPair shared = Keys.generate();
        Instant now = Instant.now();
        for (int i = 0; i < workers; i++) {
            store.saveWorker(new Worker(new WorkerId(String.format("%032x", i + 1L)), shared.getPublic(),
                    "owner-" + (i % 1000), Capabilities.of(4, 4096), "bench", 1000, WorkerState.ACTIVE, now, now));
        }
        for (int i = 0; i < queued; i += 10_000) {
            coordinator.submit(specs(Math.min(10_000, queued - i)));
        }
    }

    List<JobSpec> specs(int n) {
        List<JobSpec> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long seed = seeds.incrementAndGet();
            out.add(JobSpec.builder("bench", RESULT).seed(seed).submitter("bench-" + (seed & 3)).build());
        }
        return out;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        coordinator.stop();
    }

    /** One simulated worker per benchmark thread. */
    public abstract static class SimulatedWorker {
        KeyPair keys;
        WorkerId id;
        Signature signer;

        @Setup(Level.Trial)
        public void register(DispatchCycleBenchmark b) throws Exception {
            keys = Keys.generate();
            id = WorkerId.of(keys.getPublic());
            b.allowlist.allow(keys.getPublic());
            Capabilities caps = Capabilities.of(4, 4096);
            Challenge c = b.coordinator.challenge();
            byte[] proof = Keys.sign(keys.getPrivate(), SignedBytes.registration(c.value(), keys.getPublic(),
                    "bench-owner-" + id, caps, "bench", BATCH));
            b.coordinator.register(new Registration(keys.getPublic(), "bench-owner-" + id, caps, "bench", BATCH,
                    c.value(), proof));
            signer = Signature.getInstance("Ed25519", BC);
            signer.initSign(keys.getPrivate());
        }

        byte[] sign(byte[] message) throws Exception {
            signer.update(message);
            return signer.sign();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int cycle(RefillingWorker w) throws Exception {
        return leaseRunReport(w);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int submitAndCycle(SubmittingWorker w) throws Exception {
        coordinator.submit(specs(BATCH));
        return leaseRunReport(w);
    }

    /** For {@code cycle}: tops the queue up before each operation, outside the measured region. */
    @State(Scope.Thread)
    public static class RefillingWorker extends SimulatedWorker {
        @Setup(Level.Invocation)
        public void refill(DispatchCycleBenchmark b) {
            b.coordinator.submit(b.specs(BATCH));
        }
    }

    /** For {@code submitAndCycle}, which submits inside the measured method. */
    @State(Scope.Thread)
    public static class SubmittingWorker extends SimulatedWorker {}

    int leaseRunReport(SimulatedWorker w) throws Exception {
        TicketBatch leased = coordinator.lease(w.id, BATCH);
        List<ResultReport> results = new ArrayList<>(leased.tickets().size());
        for (Ticket t : leased.tickets()) {
            results.add(new ResultReport(t.jobId(), t.replica(), t.seed(), RESULT, RESULT_DIGEST, Map.of()));
        }
        if (results.isEmpty()) {
            throw new IllegalStateException("nothing leased: the queue ran dry");
        }
        byte[] sig = signatures ? w.sign(SignedBytes.results(w.id, results)) : new byte[0];
        int accepted = 0;
        for (ReportOutcome o : coordinator.report(new ResultBatch(w.id, results, sig))) {
            if (o.status() == ReportStatus.ACCEPTED) {
                accepted++;
            }
        }
        if (accepted != results.size()) {
            throw new IllegalStateException("only " + accepted + " of " + results.size() + " accepted");
        }
        return accepted;
    }

    private static final String RESULT_DIGEST = dev.muster.spi.Digests.sha256Hex(RESULT);
}
