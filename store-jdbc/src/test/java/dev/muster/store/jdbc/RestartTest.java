package dev.muster.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.muster.core.Coordinator;
import dev.muster.spi.JobQuery;
import dev.muster.spi.JobSpec;
import dev.muster.spi.JobState;
import dev.muster.spi.LeaderboardEntry;
import dev.muster.spi.LeaderboardScope;
import dev.muster.spi.PoolSummary;
import dev.muster.spi.ReportOutcome;
import dev.muster.spi.ReportStatus;
import dev.muster.spi.ResultReport;
import dev.muster.spi.Ticket;
import dev.muster.spi.testkit.AcceptAllValidator;
import dev.muster.spi.testkit.SettableClock;
import dev.muster.spi.testkit.SigningWorker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A coordinator stops mid-run, cleanly or by losing its process's connections without a word,
 * and a new coordinator on the same database finishes the pool's work: every job ends accepted
 * exactly once, and credit matches.
 */
class RestartTest {
    private static final int JOBS = 3_000;
    private static final String TYPE = "pool-test";
    private static final byte[] SECRET = "restart-test-challenge-secret-32-bytes!!".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        return Stream.of(Arguments.of("sqlite", true), Arguments.of("sqlite", false), Arguments.of("h2", true),
                Arguments.of("h2", false), Arguments.of("postgresql", true), Arguments.of("postgresql", false));
    }

    private String url(String database) {
        return switch (database) {
            case "sqlite" -> "jdbc:sqlite:" + dir.resolve("muster.db");
            case "h2" -> "jdbc:h2:file:" + dir.resolve("muster") + ";LOCK_TIMEOUT=10000";
            default -> TestDatabases.newPostgres();
        };
    }

    private static HikariDataSource pool(String url) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        c.setAutoCommit(false);
        c.setMaximumPoolSize(4);
        return new HikariDataSource(c);
    }

    private static Coordinator coordinator(HikariDataSource pool, SettableClock clock) {
        Coordinator c = Coordinator.builder().store(JdbcStore.open(pool)).clock(clock)
                .housekeepingInterval(Duration.ZERO).challengeSecret(SECRET).validator(new AcceptAllValidator(TYPE))
                .trustPolicy("quorum", Map.of("replicas", "1", "agree", "1")).build();
        c.start();
        return c;
    }

    @ParameterizedTest(name = "{0}, clean stop: {1}")
    @MethodSource("cases")
    void aNewCoordinatorFinishesTheWork_andEveryJobIsAcceptedOnce(String database, boolean clean) {
        String url = url(database);
        // Moved by hand, shared by both coordinators.
        SettableClock clock = new SettableClock(Instant.parse("2026-03-01T12:00:00Z"));
        HikariDataSource poolA = pool(url);
        Coordinator a = coordinator(poolA, clock);
        List<JobSpec> specs = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            specs.add(JobSpec.builder(TYPE, ("game " + i).getBytes(StandardCharsets.UTF_8)).seed(i)
                    .timeout(Duration.ofSeconds(60)).submitter("lab").idempotencyKey("game-" + i).build());
        }
        for (int i = 0; i < JOBS; i += 1000) {
            a.submit(specs.subList(i, i + 1000));
        }
        SigningWorker alice = new SigningWorker(a, "alice");
        SigningWorker bob = new SigningWorker(a, "bob");
        SigningWorker carol = new SigningWorker(a, "carol");
        for (SigningWorker w : List.of(alice, bob, carol)) {
            w.register(64);
        }
        int accepted = 0;
        for (int round = 0; round < 5; round++) {
            for (SigningWorker w : List.of(alice, bob, carol)) {
                accepted += countAccepted(w.report(SigningWorker.honestAnswers(w.lease(64).tickets())));
            }
        }
        // In flight when the coordinator goes: alice holds leases she will never report (her
        // machine dies too); bob holds leases he has finished and reports to the new coordinator.
        List<Ticket> lost = alice.lease(64).tickets();
        List<ResultReport> bobsPending = SigningWorker.honestAnswers(bob.lease(64).tickets());
        assertEquals(64, lost.size());
        assertEquals(64, bobsPending.size());
        if (clean) {
            a.stop();
        }
        poolA.close(); // without a clean stop: the process's connections are simply gone

        HikariDataSource poolB = pool(url);
        Coordinator b = coordinator(poolB, clock);
        try {
            PoolSummary before = b.summary();
            assertEquals(accepted, before.jobs().get(JobState.ACCEPTED), "accepted work survived the restart");
            assertEquals(128L, before.activeLeases(), "in-flight leases survived the restart");

            // The same workers, keys and owners, now talking to the new coordinator.
            alice = alice.on(b);
            bob = bob.on(b);
            carol = carol.on(b);
            accepted += countAccepted(bob.report(bobsPending));
            clock.advance(Duration.ofSeconds(61));
            b.runHousekeeping(); // alice's leases expire and go back to the queue
            assertEquals(0L, b.summary().activeLeases());

            boolean progress = true;
            while (progress) {
                progress = false;
                for (SigningWorker w : List.of(bob, carol)) {
                    List<Ticket> got = w.lease(64).tickets();
                    if (!got.isEmpty()) {
                        progress = true;
                        accepted += countAccepted(w.report(SigningWorker.honestAnswers(got)));
                    }
                }
            }
            // Alice comes back late with her results: too late, and nothing changes.
            List<ReportOutcome> late = alice.report(SigningWorker.honestAnswers(lost));
            assertTrue(late.stream().noneMatch(o -> o.status() == ReportStatus.ACCEPTED), late.toString());

            assertEquals(JOBS, accepted, "accepted outcomes");
            PoolSummary after = b.summary();
            assertEquals(JOBS, after.jobs().get(JobState.ACCEPTED));
            assertEquals(0L, after.jobs().get(JobState.QUEUED));
            assertEquals(0L, after.jobs().get(JobState.RUNNING));
            assertEquals(0L, after.activeLeases());

            Set<Long> acceptedIds = new HashSet<>();
            long after0 = 0;
            while (true) {
                var page = b.jobs(new JobQuery(null, JobState.ACCEPTED, null, after0, 1000));
                if (page.isEmpty()) {
                    break;
                }
                page.forEach(j -> assertTrue(acceptedIds.add(j.id().value()), "job listed twice"));
                after0 = page.get(page.size() - 1).id().value();
            }
            assertEquals(JOBS, acceptedIds.size());
            List<LeaderboardEntry> owners = b.leaderboard(LeaderboardScope.OWNER, null, 10);
            assertEquals(JOBS, owners.stream().mapToDouble(LeaderboardEntry::credit).sum(), 1e-9);
            assertEquals(JOBS, owners.stream().mapToLong(LeaderboardEntry::results).sum());
            // Resubmitting the batch creates nothing: the idempotency keys survived too.
            assertEquals(Set.of(JobState.ACCEPTED),
                    Set.copyOf(b.submit(specs.subList(0, 100)).stream().map(j -> j.state()).toList()));
        } finally {
            b.stop();
            poolB.close();
        }
    }

    private static int countAccepted(List<ReportOutcome> outcomes) {
        int n = 0;
        for (ReportOutcome o : outcomes) {
            assertEquals(ReportStatus.ACCEPTED, o.status(), o.toString());
            n++;
        }
        return n;
    }
}
