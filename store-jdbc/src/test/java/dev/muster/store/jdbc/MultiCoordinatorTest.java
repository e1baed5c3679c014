package dev.muster.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.muster.core.Coordinator;
import dev.muster.spi.JobSpec;
import dev.muster.spi.JobState;
import dev.muster.spi.LeaderboardEntry;
import dev.muster.spi.LeaderboardScope;
import dev.muster.spi.MusterException;
import dev.muster.spi.PoolSummary;
import dev.muster.spi.ReportOutcome;
import dev.muster.spi.ReportStatus;
import dev.muster.spi.Ticket;
import dev.muster.spi.testkit.AcceptAllValidator;
import dev.muster.spi.testkit.SettableClock;
import dev.muster.spi.testkit.SigningWorker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Two coordinators on one PostgreSQL database serve one pool, workers split across them; one is
 * killed mid-run. No replica is leased to two workers at once, every job ends accepted exactly
 * once with its credit, and the survivor takes over housekeeping.
 */
class MultiCoordinatorTest {
    private static final int JOBS = 100_000;
    private static final int WORKERS_EACH = 3;
    private static final String TYPE = "pool-test";
    private static final byte[] SECRET = "multi-coordinator-shared-secret-32-bytes".getBytes(StandardCharsets.UTF_8);

    /**
     * PostgreSQL frees a dead session's advisory lock when its server process sees the
     * connection gone, which happens on the server's time, not the test's: ask until it has, for
     * at most 30 seconds.
     */
    private static boolean becomesLeader(JdbcStore store) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (store.leadsHousekeeping()) {
                return true;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return false;
    }

    private static HikariDataSource pool(String url) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        c.setAutoCommit(false);
        c.setMaximumPoolSize(6);
        c.addDataSourceProperty("reWriteBatchedInserts", "true");
        return new HikariDataSource(c);
    }

    private static Coordinator coordinator(JdbcStore store, SettableClock clock) {
        Coordinator c = Coordinator.builder().store(store).clock(clock).housekeepingInterval(Duration.ZERO)
                .challengeSecret(SECRET).validator(new AcceptAllValidator(TYPE)).maxSubmitBatch(10_000)
                .trustPolicy("quorum", Map.of("replicas", "1", "agree", "1")).build();
        c.start();
        return c;
    }

    @Test
    void twoCoordinatorsShareThePool_andTheSurvivorTakesOver() throws Exception {
        String url = TestDatabases.newPostgres();
        // One clock for both coordinators; moved by hand to expire the dead coordinator's leases.
        SettableClock clock = new SettableClock(Instant.parse("2026-03-01T12:00:00Z"));
        HikariDataSource poolA = pool(url);
        HikariDataSource poolB = pool(url);
        JdbcStore storeA = JdbcStore.open(poolA);
        JdbcStore storeB = JdbcStore.open(poolB);
        Coordinator a = coordinator(storeA, clock);
        Coordinator b = coordinator(storeB, clock);
        ExecutorService threads = Executors.newFixedThreadPool(2 * WORKERS_EACH);
        try {
            assertTrue(storeA.leadsHousekeeping(), "the first to ask leads");
            assertFalse(storeB.leadsHousekeeping(), "only one leads at a time");

            List<JobSpec> specs = new ArrayList<>(10_000);
            for (int i = 0; i < JOBS; i++) {
                specs.add(JobSpec.builder(TYPE, ("job " + i).getBytes(StandardCharsets.UTF_8)).seed(i)
                        .timeout(Duration.ofSeconds(60)).submitter(i % 2 == 0 ? "lab" : "league").build());
                if (specs.size() == 10_000) {
                    (i % 20_000 < 10_000 ? a : b).submit(specs);
                    specs.clear();
                }
            }

            ConcurrentHashMap<Long, Integer> accepted = new ConcurrentHashMap<>();
            ConcurrentHashMap<String, String> live = new ConcurrentHashMap<>();
            AtomicReference<String> violation = new AtomicReference<>();
            AtomicInteger acceptedTotal = new AtomicInteger();
            CountDownLatch killed = new CountDownLatch(1);
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < 2 * WORKERS_EACH; t++) {
                boolean onA = t < WORKERS_EACH;
                SigningWorker registered = new SigningWorker(onA ? a : b, "owner-" + (t % 4));
                registered.register(64);
                running.add(threads.submit(() -> {
                    SigningWorker w = registered;
                    int idle = 0;
                    while (idle < 20) {
                        List<Ticket> got = List.of();
                        List<ReportOutcome> outcomes;
                        try {
                            got = w.lease(64).tickets();
                            if (got.isEmpty()) {
                                idle++;
                                killed.await(); // before the kill, an empty queue means all is leased
                                continue;
                            }
                            idle = 0;
                            for (Ticket tk : got) {
                                String other = live.putIfAbsent(tk.jobId().value() + "/" + tk.replica(),
                                        w.id().value());
                                if (other != null) {
                                    violation.compareAndSet(null, "replica " + tk.jobId() + "/" + tk.replica()
                                            + " leased to " + w.id() + " while " + other + " held it");
                                }
                            }
                            outcomes = w.report(SigningWorker.honestAnswers(got));
                        } catch (MusterException e) {
                            if (w.api() == b) {
                                throw e;
                            }
                            // Our coordinator died under us: move to the survivor, as a worker
                            // given both addresses would.
                            w = w.on(b);
                            continue;
                        } finally {
                            for (Ticket tk : got) {
                                live.remove(tk.jobId().value() + "/" + tk.replica(), w.id().value());
                            }
                        }
                        for (ReportOutcome o : outcomes) {
                            if (o.status() == ReportStatus.ACCEPTED) {
                                accepted.merge(o.jobId().value(), 1, Integer::sum);
                                if (acceptedTotal.incrementAndGet() == JOBS / 3) {
                                    killed.countDown();
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            // Kill A a third of the way in: its connections go without a clean stop, and with
            // them its advisory lock and the leases its workers held.
            killed.await(10, TimeUnit.MINUTES);
            poolA.close();
            assertTrue(becomesLeader(storeB), "the survivor takes over housekeeping");
            clock.advance(Duration.ofSeconds(61));
            b.runHousekeeping();
            for (Future<?> f : running) {
                f.get(10, TimeUnit.MINUTES);
            }
            // Late leases (taken before the clock moved) expired too; finish what they returned.
            clock.advance(Duration.ofSeconds(61));
            b.runHousekeeping();
            SigningWorker sweeper = new SigningWorker(b, "sweeper");
            sweeper.register(64);
            for (List<Ticket> got = sweeper.lease(64).tickets(); !got.isEmpty(); got = sweeper.lease(64).tickets()) {
                for (ReportOutcome o : sweeper.report(SigningWorker.honestAnswers(got))) {
                    if (o.status() == ReportStatus.ACCEPTED) {
                        accepted.merge(o.jobId().value(), 1, Integer::sum);
                    }
                }
            }

            assertNull(violation.get());
            assertEquals(JOBS, accepted.size(), "jobs accepted");
            accepted.forEach((job, times) -> assertEquals(1, times, "job " + job + " accepted count"));
            PoolSummary summary = b.summary();
            assertEquals(JOBS, summary.jobs().get(JobState.ACCEPTED));
            assertEquals(0L, summary.jobs().get(JobState.QUEUED));
            assertEquals(0L, summary.jobs().get(JobState.RUNNING));
            assertEquals(0L, summary.activeLeases());
            List<LeaderboardEntry> owners = b.leaderboard(LeaderboardScope.OWNER, null, 10);
            assertEquals(JOBS, owners.stream().mapToDouble(LeaderboardEntry::credit).sum(), 1e-6);
        } finally {
            threads.shutdownNow();
            b.stop();
            storeB.close();
            poolB.close();
        }
    }
}
