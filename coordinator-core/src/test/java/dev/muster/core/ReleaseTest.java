package dev.muster.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.core.policy.QuorumPolicy;
import dev.muster.spi.CoordinatorEvent;
import dev.muster.spi.InvalidRequestException;
import dev.muster.spi.Job;
import dev.muster.spi.JobId;
import dev.muster.spi.JobSpec;
import dev.muster.spi.JobState;
import dev.muster.spi.ReleaseReason;
import dev.muster.spi.Ticket;
import dev.muster.spi.TicketBatch;
import dev.muster.spi.TicketRef;
import dev.muster.spi.UnknownWorkerException;
import dev.muster.spi.WorkerBannedException;
import dev.muster.spi.WorkerId;
import dev.muster.spi.testkit.SettableClock;
import dev.muster.spi.testkit.SigningWorker;
import dev.muster.store.memory.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Workers giving up leases: {@link Coordinator#release}. */
class ReleaseTest {
    private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T12:00:00Z"));
    private final List<CoordinatorEvent> events = new CopyOnWriteArrayList<>();
    private Coordinator c;

    @BeforeEach
    void start() {
        c = Coordinator.builder().clock(clock).store(new MemoryStore()).trustPolicy(new QuorumPolicy(1, 1, 1, false))
                .validator(new EchoValidator()).listener(events::add).housekeepingInterval(Duration.ZERO)
                .maxReportBatch(10).maxLongPoll(Duration.ofMinutes(2)).build();
        c.start();
    }

    @AfterEach
    void stop() {
        c.stop();
    }

    private SigningWorker worker(String owner) {
        return SigningWorker.registered(c, owner);
    }

    /** A job with the default ten-minute lease. */
    private Job submit(long seed, int maxAttempts) {
        return c.submit(List.of(JobSpec.builder("echo", ("payload " + seed).getBytes(StandardCharsets.UTF_8))
                .seed(seed).maxAttempts(maxAttempts).build())).get(0);
    }

    private static List<TicketRef> refs(TicketBatch b) {
        return b.tickets().stream().map(TicketRef::of).toList();
    }

    @Test
    void release_failed_keepsTheWorkersReason_asPlainQuotedText_cutToAThousandCharacters() {
        Job job = submit(1, 1);
        SigningWorker a = worker("alice");
        String told = "line one\nline two\u202E\tevil" + "x".repeat(2_000);
        assertEquals(1, c.release(a.id(), refs(a.lease(1)), ReleaseReason.FAILED, told).size());
        String reason = c.job(job.id()).orElseThrow().failureReason();
        assertTrue(reason.contains("the worker reports: \"line one line two evil" + "x".repeat(100)), reason);
        assertTrue(reason.chars().noneMatch(ch -> Character.isISOControl(ch) || ch == 0x202E), reason);
        assertTrue(Dispatch.plainText(told).length() < 1_000);
        assertEquals(null, Dispatch.plainText(" \n\u200B "));
    }

    @Test
    void release_failed_returnsTheJobAtOnce_notAtTheLeaseDeadline_andCountsAnAttempt() {
        Job job = submit(1, 3);
        SigningWorker a = worker("alice");
        TicketBatch held = a.lease(1);
        assertTrue(held.tickets().get(0).deadline().isAfter(clock.instant().plus(Duration.ofMinutes(9))));
        assertEquals(refs(held), c.release(a.id(), refs(held), ReleaseReason.FAILED));
        assertEquals(1, c.job(job.id()).orElseThrow().attempts());
        assertEquals(JobState.QUEUED, c.job(job.id()).orElseThrow().state());
        // No time has passed: the job is someone else's to run now.
        TicketBatch again = worker("bob").lease(1);
        assertEquals(job.id(), again.tickets().get(0).jobId());
    }

    @Test
    void release_notRun_countsNoAttempt_evenWhenRepeatedMoreOftenThanMaxAttempts() {
        Job job = submit(1, 2);
        SigningWorker a = worker("alice");
        for (int i = 0; i < 5; i++) {
            TicketBatch held = a.lease(1);
            assertEquals(1, c.release(a.id(), refs(held), ReleaseReason.NOT_RUN).size());
        }
        Job after = c.job(job.id()).orElseThrow();
        assertEquals(0, after.attempts());
        assertEquals(JobState.QUEUED, after.state());
    }

    @Test
    void release_failed_onTheLastAttempt_failsTheJob_andTellsListeners() {
        Job job = submit(1, 1);
        SigningWorker a = worker("alice");
        c.release(a.id(), refs(a.lease(1)), ReleaseReason.FAILED);
        assertEquals(JobState.FAILED, c.job(job.id()).orElseThrow().state());
        assertTrue(events.stream().anyMatch(e -> e instanceof CoordinatorEvent.JobFailed f
                && f.job().id().equals(job.id())), events.toString());
    }

    @Test
    void release_ofTicketsTheWorkerDoesNotHold_releasesNothing_andLeavesThemAlone() {
        Job mine = submit(1, 3);
        Job theirs = submit(2, 3);
        SigningWorker a = worker("alice");
        SigningWorker b = worker("bob");
        Ticket aTicket = a.lease(1).tickets().get(0);
        Ticket bTicket = b.lease(1).tickets().get(0);
        assertEquals(mine.id(), aTicket.jobId());
        List<TicketRef> foreign = List.of(TicketRef.of(bTicket), new TicketRef(mine.id(), aTicket.replica() + 1),
                new TicketRef(JobId.of(999_999), 0));
        assertEquals(List.of(), c.release(a.id(), foreign, ReleaseReason.FAILED));
        assertEquals(0, c.job(theirs.id()).orElseThrow().attempts());
        assertEquals(JobState.RUNNING, c.job(theirs.id()).orElseThrow().state());
        assertEquals(2, c.summary().activeLeases());
        // A ticket released once is no longer held: naming it again releases nothing more.
        assertEquals(1, c.release(a.id(), List.of(TicketRef.of(aTicket)), ReleaseReason.FAILED).size());
        assertEquals(List.of(), c.release(a.id(), List.of(TicketRef.of(aTicket)), ReleaseReason.FAILED));
        assertEquals(1, c.job(mine.id()).orElseThrow().attempts());
    }

    @Test
    void release_withBadInput_throws_andChangesNothing() {
        submit(1, 3);
        SigningWorker a = worker("alice");
        TicketRef held = TicketRef.of(a.lease(1).tickets().get(0));
        List<TicketRef> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add(new TicketRef(JobId.of(1000 + i), 0));
        }
        List<List<TicketRef>> bad = new ArrayList<>();
        bad.add(null);
        bad.add(List.of());
        bad.add(List.of(held, held));
        bad.add(Collections.singletonList(null));
        bad.add(eleven);
        for (List<TicketRef> tickets : bad) {
            assertThrows(InvalidRequestException.class, () -> c.release(a.id(), tickets, ReleaseReason.FAILED),
                    String.valueOf(tickets));
        }
        assertThrows(InvalidRequestException.class, () -> c.release(a.id(), List.of(held), null));
        assertThrows(InvalidRequestException.class, () -> new TicketRef(JobId.of(1), -1));
        assertThrows(UnknownWorkerException.class,
                () -> c.release(new WorkerId("0123456789abcdef0123456789abcdef"), List.of(held), ReleaseReason.FAILED));
        assertEquals(1, c.summary().activeLeases());
        assertEquals(0, c.job(held.jobId()).orElseThrow().attempts());
        c.ban(a.id(), "test");
        assertThrows(WorkerBannedException.class, () -> c.release(a.id(), List.of(held), ReleaseReason.FAILED));
    }

    @Test
    void release_wakesAWorkerWaitingInALongPoll() throws Exception {
        Job job = submit(1, 3);
        SigningWorker a = worker("alice");
        SigningWorker b = worker("bob");
        TicketBatch held = a.lease(1);
        CompletableFuture<TicketBatch> waiting = c.leaseAsync(b.id(), 1, Duration.ofSeconds(90));
        assertFalse(waiting.isDone(), "the only job is alice's");
        c.release(a.id(), refs(held), ReleaseReason.NOT_RUN);
        TicketBatch got = waiting.get(30, TimeUnit.SECONDS);
        assertEquals(job.id(), got.tickets().get(0).jobId());
    }
}
