package dev.muster.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.core.policy.QuorumPolicy;
import dev.muster.spi.CoordinatorEvent;
import dev.muster.spi.JobId;
import dev.muster.spi.Rejection;
import dev.muster.spi.RejectionReason;
import dev.muster.spi.ResultReport;
import dev.muster.spi.WorkerId;
import dev.muster.store.memory.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One worker's share of the rejection log, on the injected clock. */
class RejectionLogTest {
    private static final int PER_MINUTE = 20;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    private final AtomicLong rejectedEvents = new AtomicLong();
    private Coordinator c;

    @BeforeEach
    void start() {
        c = Coordinator.builder().clock(clock).store(new MemoryStore()).trustPolicy(new QuorumPolicy(1, 1, 1, false))
                .validator(new EchoValidator()).housekeepingInterval(Duration.ZERO).rejectionsPerMinute(PER_MINUTE)
                .listener(e -> {
                    if (e instanceof CoordinatorEvent.ResultRejected) {
                        rejectedEvents.incrementAndGet();
                    }
                }).build();
        c.start();
    }

    @AfterEach
    void stop() {
        c.stop();
    }

    private TestWorker worker(String owner) {
        TestWorker w = new TestWorker(c, owner);
        w.register();
        return w;
    }

    /** One report of {@code n} results for jobs that do not exist: n rejections. */
    private static List<ResultReport> junk(int n, int from) {
        List<ResultReport> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(ResultReport.of(JobId.of(1_000_000 + from + i), 0, 1, "x".getBytes(StandardCharsets.UTF_8), Map.of()));
        }
        return out;
    }

    private List<Rejection> logOf(WorkerId w) {
        return c.rejections(10_000).stream().filter(r -> r.worker().equals(w)).toList();
    }

    @Test
    void aFloodOfRejections_isCappedPerWorker_countedInOneEntry_andAnHonestRejectionIsStillLogged() {
        TestWorker mallory = worker("mallory");
        TestWorker alice = worker("alice");
        for (int i = 0; i < 10; i++) {
            mallory.report(junk(100, i * 100));         // a thousand rejections within one instant
        }
        assertEquals(PER_MINUTE, logOf(mallory.id).size(), "a bucket's worth is logged");
        assertEquals(1000 - PER_MINUTE, c.suppressedRejections());
        assertEquals(1000, rejectedEvents.get(), "listeners still hear of every rejection");

        alice.report(junk(1, 5000));
        assertEquals(1, logOf(alice.id).size(), "someone else's flood does not cost alice her entry");

        clock.advance(Duration.ofSeconds(10));
        c.runHousekeeping();
        List<Rejection> summaries = logOf(mallory.id).stream()
                .filter(r -> r.reason() == RejectionReason.SUPPRESSED).toList();
        assertEquals(1, summaries.size());
        assertTrue(summaries.get(0).detail().startsWith((1000 - PER_MINUTE) + " more rejections"),
                summaries.get(0).detail());
        c.runHousekeeping();
        assertEquals(1, logOf(mallory.id).stream().filter(r -> r.reason() == RejectionReason.SUPPRESSED).count(),
                "the count is written once");
    }

    @Test
    void aSustainedFlood_writesNoMoreThanTheShareAMinute_andAccountsForEveryRejection() {
        TestWorker mallory = worker("mallory");
        int seconds = 180;
        int perSecond = 100;
        for (int s = 0; s < seconds; s++) {
            mallory.report(junk(perSecond, s * perSecond));
            clock.advance(Duration.ofSeconds(1));
        }
        // A minute later housekeeping writes the count of the last stretch.
        clock.advance(Duration.ofMinutes(1));
        c.runHousekeeping();
        List<Rejection> logged = logOf(mallory.id);
        List<Rejection> summaries = logged.stream().filter(r -> r.reason() == RejectionReason.SUPPRESSED).toList();
        long rows = logged.size() - summaries.size();
        System.out.printf("%d rejections in %d s: %d rows, %d summary rows, %d suppressed%n", seconds * perSecond,
                seconds, rows, summaries.size(), c.suppressedRejections());
        assertTrue(logged.size() <= PER_MINUTE + PER_MINUTE * (seconds + 60) / 60 + 1,
                logged.size() + " log rows in " + (seconds + 60) + " s");
        long summed = summaries.stream()
                .mapToLong(r -> Long.parseLong(r.detail().substring(0, r.detail().indexOf(' ')))).sum();
        assertEquals(c.suppressedRejections(), summed, "the summary rows add up to what was left out");
        assertEquals((long) seconds * perSecond, rows + summed, "every rejection is logged or counted");
    }
}
