package dev.muster.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.core.Coordinator;
import dev.muster.spi.Capabilities;
import dev.muster.spi.Job;
import dev.muster.spi.JobSpec;
import dev.muster.spi.LeaderboardScope;
import dev.muster.spi.ReportStatus;
import dev.muster.spi.Ticket;
import dev.muster.spi.testkit.AcceptAllValidator;
import dev.muster.spi.testkit.SettableClock;
import dev.muster.spi.testkit.SigningWorker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two coordinators configured from properties on one PostgreSQL database: only the one holding
 * the housekeeping lock expires leases and purges old jobs, and a challenge issued by one is
 * accepted by the other when they share {@code challenge.secret}.
 */
class SharedHousekeepingTest {
    private static final String TYPE = "pool-test";

    private static Coordinator coordinator(String url, SettableClock clock) {
        Coordinator c = Coordinator.builder().clock(clock).validator(new AcceptAllValidator(TYPE))
                .configure(Map.of("store", "jdbc", "store.url", url, "store.poolSize", "3",
                        "trust", "quorum", "trust.replicas", "1", "trust.agree", "1",
                        "housekeeping.interval", "PT0S", "purge.after", "24h",
                        "challenge.secret", HexFormat.of().formatHex(new byte[32]).replace('0', '7')))
                .build();
        c.start();
        return c;
    }

    @Test
    void onlyTheLeaderExpiresAndPurges_andChallengesCrossCoordinators() {
        String url = TestDatabases.newPostgres();
        SettableClock clock = new SettableClock(Instant.parse("2026-03-01T12:00:00Z"));
        Coordinator a = coordinator(url, clock);
        Coordinator b = coordinator(url, clock);
        try {
            a.runHousekeeping(); // a asks first, so a leads
            List<Job> jobs = a.submit(List.of(
                    JobSpec.builder(TYPE, "one".getBytes(StandardCharsets.UTF_8)).seed(1)
                            .timeout(Duration.ofSeconds(60)).build(),
                    JobSpec.builder(TYPE, "two".getBytes(StandardCharsets.UTF_8)).seed(2)
                            .timeout(Duration.ofSeconds(60)).build()));

            // A challenge from a, a registration at b.
            b.register(new SigningWorker(a, "alice").registration(Capabilities.of(2, 2048), "build-1", 8));
            SigningWorker alice = new SigningWorker(b, "alice");
            alice.register(8);
            List<Ticket> first = alice.lease(1).tickets();
            assertEquals(ReportStatus.ACCEPTED, alice.report(SigningWorker.honestAnswers(first)).get(0).status());
            alice.lease(1); // held, then abandoned

            clock.advance(Duration.ofSeconds(61));
            b.runHousekeeping();
            assertEquals(1L, b.summary().activeLeases(), "b does not lead, so it expires nothing");
            a.runHousekeeping();
            assertEquals(0L, b.summary().activeLeases(), "a leads and expires the abandoned lease");

            clock.advance(Duration.ofDays(2));
            b.runHousekeeping();
            assertTrue(a.job(first.get(0).jobId()).isPresent(), "b does not purge");
            a.runHousekeeping();
            assertTrue(a.job(first.get(0).jobId()).isEmpty(), "the accepted job is purged after purge.after");
            assertTrue(a.job(jobs.get(1).id()).isPresent(), "an unfinished job is kept");
            assertEquals(1.0, a.leaderboard(LeaderboardScope.OWNER, null, 10).get(0).credit(), 1e-9,
                    "leaderboard totals outlive purged jobs");
        } finally {
            b.stop();
            a.stop();
        }
    }
}
