package dev.muster.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.core.policy.QuorumPolicy;
import dev.muster.spi.InvalidRequestException;
import dev.muster.spi.JobSpec;
import dev.muster.spi.TicketBatch;
import dev.muster.spi.testkit.SigningWorker;
import dev.muster.store.memory.MemoryStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LongPollTest {
    private Coordinator c;

    @BeforeEach
    void start() {
        c = Coordinator.builder().store(new MemoryStore()).trustPolicy(new QuorumPolicy(1, 1, 1, false))
                .validator(new EchoValidator()).housekeepingInterval(Duration.ZERO).maxLongPoll(Duration.ofMinutes(2))
                .build();
        c.start();
    }

    @AfterEach
    void stop() {
        c.stop();
    }

    @Test
    void leaseAsync_onAnEmptyQueue_completesWhenWorkIsSubmitted() throws Exception {
        SigningWorker w = new SigningWorker(c, "alice");
        w.register();
        CompletableFuture<TicketBatch> waiting = c.leaseAsync(w.id(), 5, Duration.ofSeconds(60));
        assertFalse(waiting.isDone(), "nothing to lease yet, and the wait is a minute");
        c.submit(List.of(JobSpec.builder("echo", new byte[] {1}).seed(1).build()));
        TicketBatch got = waiting.get(30, TimeUnit.SECONDS);
        assertEquals(1, got.tickets().size());
    }

    @Test
    void leaseAsync_withWorkQueued_answersAtOnce_andAnEmptyWaitEndsEmpty() throws Exception {
        SigningWorker w = new SigningWorker(c, "alice");
        w.register();
        c.submit(List.of(JobSpec.builder("echo", new byte[] {2}).seed(2).build()));
        CompletableFuture<TicketBatch> now = c.leaseAsync(w.id(), 5, Duration.ofSeconds(60));
        assertTrue(now.isDone());
        assertEquals(1, now.get().tickets().size());
        TicketBatch none = c.leaseAsync(w.id(), 5, Duration.ofMillis(50)).get(30, TimeUnit.SECONDS);
        assertTrue(none.tickets().isEmpty());
    }

    @Test
    void leaseAsync_withAWaitOutOfRange_isRefused() {
        SigningWorker w = new SigningWorker(c, "alice");
        w.register();
        assertThrows(InvalidRequestException.class, () -> c.leaseAsync(w.id(), 1, Duration.ofHours(1)));
        assertThrows(InvalidRequestException.class, () -> c.leaseAsync(w.id(), 1, Duration.ofSeconds(-1)));
    }

    @Test
    void theLongestLongPoll_isTheCoordinatorsSetting_whateverTheTransport() {
        Coordinator standard = Coordinator.builder().store(new MemoryStore()).trustPolicy(new QuorumPolicy(1, 1, 1, false))
                .validator(new EchoValidator()).housekeepingInterval(Duration.ZERO).build();
        standard.start();
        try {
            SigningWorker w = new SigningWorker(standard, "alice");
            w.register();
            String message = assertThrows(InvalidRequestException.class,
                    () -> standard.leaseAsync(w.id(), 1, Duration.ofSeconds(31))).getMessage();
            assertTrue(message.contains("the longest long poll here is 30s"), message);
            standard.submit(List.of(JobSpec.builder("echo", new byte[] {3}).seed(3).build()));
            CompletableFuture<TicketBatch> atTheLimit = standard.leaseAsync(w.id(), 1, Duration.ofSeconds(30));
            assertTrue(atTheLimit.isDone(), "a wait of exactly the limit is allowed, and work is there");
        } finally {
            standard.stop();
        }
    }
}
