package dev.muster.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.core.policy.QuorumPolicy;
import dev.muster.spi.Capabilities;
import dev.muster.spi.InvalidRequestException;
import dev.muster.spi.JobSpec;
import dev.muster.spi.OpenJobs;
import dev.muster.spi.OwnerProfile;
import dev.muster.spi.PoolStatus;
import dev.muster.spi.Requirements;
import dev.muster.spi.WorkerGroup;
import dev.muster.spi.testkit.SettableClock;
import dev.muster.spi.testkit.SigningWorker;
import dev.muster.store.memory.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operators' status (where the pool is short, how long it is kept) and contributors' public profiles. */
class PoolStatusTest {
    private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T12:00:00Z"));
    private Coordinator c;

    @BeforeEach
    void start() {
        c = Coordinator.builder().clock(clock).store(new MemoryStore()).trustPolicy(new QuorumPolicy(1, 1, 1, false))
                .validator(new EchoValidator()).housekeepingInterval(Duration.ZERO).build();
        c.start();
    }

    @AfterEach
    void stop() {
        c.stop();
    }

    private static JobSpec echo(int i, Requirements r) {
        return JobSpec.builder("echo", ("payload " + i).getBytes(StandardCharsets.UTF_8)).seed(i).requirements(r)
                .build();
    }

    @Test
    void status_namesTheJobsNoActiveWorkerCanTake_andIsKeptForAMoment() {
        Requirements gpu = new Requirements(1, 0, true, Set.of());
        Requirements many = new Requirements(64, 0, false, Set.of());
        c.submit(List.of(echo(1, Requirements.NONE), echo(2, gpu), echo(3, many)));
        SigningWorker plain = SigningWorker.registered(c, "alice");
        SigningWorker withGpu = new SigningWorker(c, "bob");
        withGpu.api().register(withGpu.registration(new Capabilities(8, 1024, true, Set.of("tier:gpu")), "b", 4));
        c.drain(withGpu.id());

        PoolStatus status = c.status();
        assertEquals(List.of(gpu, many), status.unmet().stream().map(OpenJobs::requirements).toList(),
                "a drained worker does not count: nobody active can take the GPU job or the 64-core job");
        assertEquals(3, status.openJobs().size());
        assertEquals(2, status.workers().stream().mapToLong(WorkerGroup::workers).sum());

        c.resume(withGpu.id());
        assertSame(status, c.status(), "kept for two seconds");
        clock.advance(PoolStatusReads.FRESHNESS);
        PoolStatus later = c.status();
        assertEquals(List.of(many), later.unmet().stream().map(OpenJobs::requirements).toList());
        assertEquals(clock.instant(), later.at());

        SigningWorker.honestAnswers(plain.lease(5).tickets()).forEach(plain::report);
        clock.advance(PoolStatusReads.FRESHNESS);
        assertEquals(0, c.status().lastDay().stream().mapToLong(h -> h.accepted()).sum(),
                "the hourly counts are kept a minute");
        clock.advance(PoolStatusReads.HOURS_FRESHNESS);
        assertEquals(1, c.status().lastDay().stream().mapToLong(h -> h.accepted()).sum());
    }

    @Test
    void ownerProfile_listsCreditByDayAndWorkers_andNothingForUnknownNames() {
        c.submit(List.of(echo(1, Requirements.NONE), echo(2, Requirements.NONE)));
        SigningWorker w = SigningWorker.registered(c, "alice");
        SigningWorker idle = SigningWorker.registered(c, "alice");
        SigningWorker.honestAnswers(w.lease(1).tickets()).forEach(w::report);
        clock.advance(Duration.ofDays(1));
        SigningWorker.honestAnswers(w.lease(1).tickets()).forEach(w::report);

        clock.advance(PoolStatusReads.PROFILE_FRESHNESS);
        OwnerProfile alice = c.ownerProfile("alice").orElseThrow();
        assertEquals(2, alice.credit().results());
        assertEquals(List.of(LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 2)),
                alice.credit().days().stream().map(d -> d.day()).toList());
        assertEquals(List.of(w.id(), idle.id()), alice.workers().stream().map(OwnerProfile.WorkerProfile::id).toList(),
                "highest credit first");
        assertEquals(0, alice.workers().get(1).results());
        assertEquals("none", alice.workers().get(0).tier());

        assertTrue(alice.workers().get(0).active());
        assertEquals(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.HOURS),
                alice.workers().get(0).lastContact(), "public last contact is to the hour");
        c.drain(idle.id());
        assertSame(alice, c.ownerProfile("alice").orElseThrow(), "a profile is kept a few seconds");
        clock.advance(PoolStatusReads.PROFILE_FRESHNESS);
        assertFalse(c.ownerProfile("alice").orElseThrow().workers().get(1).active(), "drained: takes no work");

        assertTrue(c.ownerProfile("nobody").isEmpty());
        c.createOwner("newcomer");
        assertEquals(0, c.ownerProfile("newcomer").orElseThrow().credit().results(), "an account without workers");
        assertThrows(InvalidRequestException.class, () -> c.ownerProfile("x".repeat(129)));
    }

    @Test
    void ownerProfile_ofALargeOwner_saysThatItListsSomeWorkers() {
        for (int i = 0; i <= PoolStatusReads.PROFILE_WORKERS; i++) {
            SigningWorker.registered(c, "farm");
        }
        OwnerProfile farm = c.ownerProfile("farm").orElseThrow();
        assertEquals(PoolStatusReads.PROFILE_WORKERS, farm.workers().size());
        assertTrue(farm.moreWorkers());
        assertFalse(c.ownerProfile("alice").isPresent() && c.ownerProfile("alice").get().moreWorkers());
    }
}
