package dev.muster.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.core.policy.QuorumPolicy;
import dev.muster.spi.JobSpec;
import dev.muster.spi.JobState;
import dev.muster.spi.ReportStatus;
import dev.muster.spi.Ticket;
import dev.muster.spi.testkit.SettableClock;
import dev.muster.spi.testkit.SigningWorker;
import dev.muster.store.memory.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** An instrumentation that throws never turns a lease or report the store committed into an error. */
class GuardedInstrumentationTest {
    @Test
    void aThrowingInstrumentation_leavesLeasesAndReportsAsTheyWere() {
        AtomicInteger calls = new AtomicInteger();
        Instrumentation broken = new Instrumentation() {
            @Override
            public void leased(int tickets, long nanos) {
                calls.incrementAndGet();
                throw new IllegalStateException("metrics backend down");
            }

            @Override
            public void reported(int results, long nanos) {
                calls.incrementAndGet();
                throw new IllegalStateException("metrics backend down");
            }

            @Override
            public void storeCalled(String operation, long nanos, boolean failed) {
                calls.incrementAndGet();
                throw new IllegalStateException("metrics backend down");
            }
        };
        Coordinator c = Coordinator.builder().clock(new SettableClock(Instant.parse("2026-02-01T00:00:00Z")))
                .store(new MemoryStore()).trustPolicy(new QuorumPolicy(1, 1, 1, false))
                .validator(new EchoValidator()).instrumentation(broken).housekeepingInterval(Duration.ZERO).build();
        c.start();
        try {
            c.submit(List.of(JobSpec.builder("echo", "a game".getBytes(StandardCharsets.UTF_8)).seed(1).build()));
            SigningWorker w = SigningWorker.registered(c, "alice");
            List<Ticket> tickets = w.lease(1).tickets();
            assertEquals(1, tickets.size());
            assertEquals(ReportStatus.ACCEPTED, w.report(SigningWorker.answer(tickets.get(0), "alice wins")).status());
            assertEquals(1L, c.summary().jobs().get(JobState.ACCEPTED));
            assertTrue(calls.get() > 3, "the instrumentation was called, and threw, " + calls.get() + " times");
        } finally {
            c.stop();
        }
    }
}
