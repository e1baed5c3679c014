package dev.muster.benchmarks;

import dev.muster.core.Coordinator;
import dev.muster.core.CoordinatorBuilder;
import dev.muster.spi.Capabilities;
import dev.muster.spi.Challenge;
import dev.muster.spi.JobId;
import dev.muster.spi.JobSpec;
import dev.muster.spi.Keys;
import dev.muster.spi.Registration;
import dev.muster.spi.ReportOutcome;
import dev.muster.spi.ReportStatus;
import dev.muster.spi.ResultBatch;
import dev.muster.spi.ResultReport;
import dev.muster.spi.SignedBytes;
import dev.muster.spi.Ticket;
import dev.muster.spi.WorkerId;
import dev.muster.store.memory.MemoryStore;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the open pool's trust policy costs the coordinator per accepted job, against the plain
 * quorum, in process with the memory store and no signatures. One operation submits a job and
 * has honest workers (each its own owner) lease and report one ticket at a time, round robin,
 * until that job is accepted; whatever else they are given meanwhile (the credibility policy's
 * spot-checks) they run too, since that is part of the cost. Scores are accepted jobs per second;
 * {@code acceptOneJob:results} counts the results reported over the measurement, so divided by
 * the score times the measured seconds it gives the results spent per accepted job.
 *
 * <ul>
 *   <li>{@code quorum}: 2 replicas, 2 agreeing (the {@code quorum} policy's default).</li>
 *   <li>{@code credibility-mature}: {@code credibility} at fMax 0.2, epsilon 1e-4, with every key
 *       past maturity: two agreeing owners decide, and 10% of the work is spot-checks.</li>
 *   <li>{@code credibility-cold}: the same with every key a newcomer throughout (a maturity out of
 *       reach): seven owners must agree.</li>
 * </ul>
 *
 * <pre>
 * mvn -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar PolicyCost
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class PolicyCostBenchmark {
    private static final int WORKERS = 64;

    @Param({"quorum", "credibility-mature", "credibility-cold"})
    public String policy;

    private Coordinator coordinator;
    private final List<WorkerId> workers = new ArrayList<>();
    private int next;
    private long seed;

    @Setup(Level.Trial)
    public void setUp() {
        MemoryStore store = new MemoryStore(10_000, 100_000, 24);
        CoordinatorBuilder builder = Coordinator.builder().store(store).validator(new AcceptAll()).signatures(false)
                .housekeepingInterval(Duration.ZERO).random(new Random(1));
        if (policy.equals("quorum")) {
            builder.trustPolicy("quorum", Map.of());
        } else {
            // Cold keys pass spot-checks too; a maturity out of reach keeps them newcomers throughout.
            builder.trustPolicy("credibility", Map.of("fMax", "0.2", "epsilon", "1e-4", "maturity",
                    policy.equals("credibility-cold") ? "1000000" : "100"));
        }
        coordinator = builder.build();
        coordinator.start();
        for (int i = 0; i < WORKERS; i++) {
            KeyPair keys = Keys.generate();
            Capabilities caps = Capabilities.of(4, 4096);
            Challenge c = coordinator.challenge();
            String owner = "owner-" + i;
            byte[] proof = Keys.sign(keys.getPrivate(), SignedBytes.registration(c.value(), keys.getPublic(), owner,
                    caps, "bench", 4));
            Registration r = new Registration(keys.getPublic(), owner, caps, "bench", 4, c.value(), proof);
            // The open pool counts verified owners only: each worker's owner is an account.
            WorkerId id = coordinator.register(policy.equals("quorum") ? r
                    : r.withOwnerSecret(coordinator.createOwner(owner).secret())).id();
            if (policy.equals("credibility-mature")) {
                store.updateTrust(id, t -> {
                    for (int k = 0; k < 100; k++) {
                        t = t.pass(java.time.Instant.EPOCH);
                    }
                    return t;
                });
            }
            workers.add(id);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        coordinator.stop();
    }

    /** Results reported over the measurement, for the results spent per accepted job. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Spent {
        public long results;
    }

    @Benchmark
    public int acceptOneJob(Spent spent) {
        long s = ++seed;
        JobId id = coordinator.submit(List.of(JobSpec.builder("bench", ByteBuffer.allocate(8).putLong(s).array())
                .seed(s).build())).get(0).id();
        int results = 0;
        for (int idle = 0; idle < WORKERS; ) {
            WorkerId w = workers.get(next++ % WORKERS);
            List<Ticket> tickets = coordinator.lease(w, 1).tickets();
            if (tickets.isEmpty()) {
                idle++;
                continue;
            }
            idle = 0;
            Ticket t = tickets.get(0);
            byte[] answer = ByteBuffer.allocate(8).putLong(t.seed()).array();
            ReportOutcome o = coordinator.report(new ResultBatch(w, List.of(ResultReport.of(t.jobId(), t.replica(),
                    t.seed(), answer, Map.of())), new byte[0])).get(0);
            results++;
            spent.results++;
            if (t.jobId().equals(id) && o.status() == ReportStatus.ACCEPTED) {
                return results;
            }
        }
        throw new IllegalStateException("job " + id + " was not accepted: " + coordinator.job(id));
    }
}
