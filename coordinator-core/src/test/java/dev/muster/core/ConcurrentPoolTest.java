package dev.muster.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.muster.core.policy.AllowlistPolicy;
import dev.muster.core.policy.QuorumPolicy;
import dev.muster.spi.CoordinatorEvent;
import dev.muster.spi.Job;
import dev.muster.spi.JobId;
import dev.muster.spi.JobSpec;
import dev.muster.spi.JobState;
import dev.muster.spi.LeaderboardEntry;
import dev.muster.spi.LeaderboardScope;
import dev.muster.spi.ReportOutcome;
import dev.muster.spi.Ticket;
import dev.muster.spi.policy.TrustPolicy;
import dev.muster.spi.testkit.SettableClock;
import dev.muster.spi.testkit.SigningWorker;
import dev.muster.store.memory.MemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Workers on several threads race each other and a housekeeper that expires leases: some
 * batches are abandoned (never reported), so their leases expire and the jobs go to other
 * workers, while reports of leases that expired under a worker are rejected. Whatever the
 * interleaving, every job must end accepted exactly once with the right credit.
 */
class ConcurrentPoolTest {

    @ParameterizedTest
    @ValueSource(strings = {"allowlist", "quorum"})
    void racingWorkersAndExpiry_acceptEveryJobExactlyOnce(String mode) throws Exception {
        int jobs = 1_500;
        int threads = 4;
        SettableClock clock = new SettableClock(Instant.parse("2026-06-01T00:00:00Z"));
        AllowlistPolicy allowlist = new AllowlistPolicy(List.of());
        TrustPolicy policy = mode.equals("allowlist") ? allowlist : new QuorumPolicy(2, 2, 4, true);
        ConcurrentHashMap<JobId, AtomicInteger> accepted = new ConcurrentHashMap<>();
        AtomicReference<String> violation = new AtomicReference<>();
        Coordinator c = Coordinator.builder().clock(clock).store(new MemoryStore()).trustPolicy(policy)
                .validator(new EchoValidator()).housekeepingInterval(Duration.ZERO)
                .heartbeatInterval(Duration.ofHours(1)).offlineAfter(Duration.ofHours(3))
                .listener(e -> {
                    if (e instanceof CoordinatorEvent.JobAccepted a
                            && accepted.computeIfAbsent(a.job().id(), k -> new AtomicInteger()).incrementAndGet() > 1) {
                        violation.compareAndSet(null, "job " + a.job().id() + " accepted twice");
                    }
                }).build();
        c.start();
        try {
            List<JobSpec> specs = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                specs.add(JobSpec.builder("echo", new byte[] {(byte) i, (byte) (i >> 8)}).seed(i).maxAttempts(100)
                        .timeout(Duration.ofSeconds(60)).build());
            }
            for (int i = 0; i < jobs; i += 500) {
                c.submit(specs.subList(i, i + 500));
            }
            List<SigningWorker> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                SigningWorker w = new SigningWorker(c, "owner-" + t);
                allowlist.allow(w.keys().getPublic());
                w.register();
                workers.add(w);
            }
            AtomicInteger abandoned = new AtomicInteger();
            // Counts empty lease calls: when every worker finds nothing, only expiry can help.
            AtomicInteger idle = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (SigningWorker w : workers) {
                    done.add(pool.submit(() -> {
                        int batches = 0;
                        while (accepted.size() < jobs && violation.get() == null) {
                            List<Ticket> got = w.lease(25).tickets();
                            if (got.isEmpty()) {
                                idle.incrementAndGet();
                                Thread.onSpinWait();
                                continue;
                            }
                            if (++batches % 7 == 0) {
                                abandoned.incrementAndGet();
                                continue;
                            }
                            for (ReportOutcome o : w.report(got.stream()
                                    .map(t -> SigningWorker.answer(t, "seed " + t.seed())).toList())) {
                                if (!o.isSuccess() && o.reason() != dev.muster.spi.RejectionReason.NOT_LEASED
                                        && o.reason() != dev.muster.spi.RejectionReason.JOB_FINISHED) {
                                    violation.compareAndSet(null, "unexpected rejection " + o);
                                }
                            }
                        }
                        return null;
                    }));
                }
                done.add(pool.submit(() -> {
                    int swept = 0;
                    while (accepted.size() < jobs && violation.get() == null) {
                        if (abandoned.get() > swept || idle.get() > 10_000) {
                            swept = abandoned.get();
                            idle.set(0);
                            clock.advance(Duration.ofSeconds(61));
                            workers.forEach(w -> c.heartbeat(w.id()));
                            c.runHousekeeping();
                        } else {
                            Thread.onSpinWait();
                        }
                    }
                    return null;
                }));
                for (Future<?> f : done) {
                    f.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertNull(violation.get());
            assertEquals(jobs, accepted.size());
            assertEquals((long) jobs, c.summary().jobs().get(JobState.ACCEPTED));
            int replicas = mode.equals("allowlist") ? 1 : 2;
            double credit = c.leaderboard(LeaderboardScope.WORKER, null, 100).stream()
                    .mapToDouble(LeaderboardEntry::credit).sum();
            assertEquals((double) jobs * replicas, credit, 1e-6);
            for (int i = 1; i <= jobs; i++) {
                Job job = c.job(JobId.of(i)).orElseThrow();
                assertEquals(replicas, c.results(job.id()).stream()
                        .filter(r -> r.resultDigest().equals(job.acceptedDigest())).count());
            }
        } finally {
            c.stop();
        }
    }
}
