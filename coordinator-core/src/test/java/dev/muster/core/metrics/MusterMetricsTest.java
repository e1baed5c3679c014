package dev.muster.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.core.Coordinator;
import dev.muster.core.policy.QuorumPolicy;
import dev.muster.spi.JobSpec;
import dev.muster.spi.JobState;
import dev.muster.spi.PoolSummary;
import dev.muster.spi.Ticket;
import dev.muster.spi.Validator;
import dev.muster.spi.Verdict;
import dev.muster.spi.Job;
import dev.muster.spi.ResultReport;
import dev.muster.spi.WorkerState;
import dev.muster.spi.testkit.SettableClock;
import dev.muster.spi.testkit.SigningWorker;
import dev.muster.store.memory.MemoryStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MusterMetricsTest {
    private Coordinator coordinator;
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final SettableClock clock = new SettableClock(Instant.parse("2026-02-01T00:00:00Z"));

    /** Accepts any result but the text "garbage". */
    private static final class Echo implements Validator {
        @Override
        public String jobType() {
            return "echo";
        }

        @Override
        public Verdict validate(Job job, ResultReport result) {
            return new String(result.result(), StandardCharsets.UTF_8).equals("garbage") ? Verdict.invalid("garbage")
                    : Verdict.ok();
        }
    }

    private MusterMetrics open(MusterMetrics metrics) {
        coordinator = Coordinator.builder().clock(clock)
                .store(new MemoryStore()).trustPolicy(new QuorumPolicy(1, 1, 1, false)).validator(new Echo())
                .instrumentation(metrics).housekeepingInterval(Duration.ZERO).build();
        coordinator.start();
        metrics.bindTo(registry);
        return metrics;
    }

    @AfterEach
    void stop() {
        if (coordinator != null) {
            coordinator.stop();
        }
    }

    private List<Job> submit(int n) {
        List<JobSpec> specs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            specs.add(JobSpec.builder("echo", ("game " + i).getBytes(StandardCharsets.UTF_8)).seed(i).maxAttempts(1)
                    .build());
        }
        return coordinator.submit(specs);
    }

    private double gauge(String name, String state) {
        return registry.get(name).tag("state", state).gauge().value();
    }

    @Test
    void countersGaugesAndTimers_moveWithThePool_andAgreeWithItsSummary() {
        open(new MusterMetrics(Duration.ZERO));
        submit(5);
        SigningWorker w = SigningWorker.registered(coordinator, "alice");
        List<Ticket> tickets = w.lease(5).tickets();
        assertEquals(5, tickets.size());
        assertEquals(5, gauge("muster.jobs", "RUNNING"));
        assertEquals(5, registry.get("muster.leases.active").gauge().value());

        for (int i = 0; i < 4; i++) {
            w.report(SigningWorker.answer(tickets.get(i), i == 3 ? "garbage" : "alice wins"));
        }
        w.lease(1);

        PoolSummary summary = coordinator.summary();
        for (JobState s : JobState.values()) {
            assertEquals(summary.jobs().getOrDefault(s, 0L).doubleValue(), gauge("muster.jobs", s.name()), s.name());
        }
        for (WorkerState s : WorkerState.values()) {
            assertEquals(summary.workers().getOrDefault(s, 0L).doubleValue(), gauge("muster.workers", s.name()),
                    s.name());
        }
        assertEquals(3, summary.jobs().get(JobState.ACCEPTED));
        assertEquals(5, registry.get("muster.jobs.submitted").tag("type", "echo").counter().count());
        assertEquals(3, registry.get("muster.jobs.accepted").tag("type", "echo").counter().count());
        assertEquals(1, registry.get("muster.jobs.failed").tag("type", "echo").counter().count());
        assertEquals(1, registry.get("muster.results.rejected").tag("reason", "INVALID").counter().count());
        assertEquals(2, registry.get("muster.lease").timer().count());
        assertEquals(5, registry.get("muster.lease.tickets").summary().totalAmount());
        assertEquals(4, registry.get("muster.report").timer().count());
        assertEquals(3, registry.get("muster.validation").tags("type", "echo", "valid", "true").timer().count());
        assertEquals(1, registry.get("muster.validation").tags("type", "echo", "valid", "false").timer().count());
        assertTrue(registry.get("muster.store.calls").tags("operation", "lease", "outcome", "ok").timer().count() >= 2);
        assertTrue(registry.get("muster.store.calls").tags("operation", "recordResults", "outcome", "ok").timer()
                .count() >= 4);
    }

    @Test
    void gauges_reuseASummaryWithinTheirInterval() {
        open(new MusterMetrics(Duration.ofHours(1)));
        assertEquals(0, gauge("muster.jobs", "QUEUED"));
        submit(2);
        assertEquals(0, gauge("muster.jobs", "QUEUED"), "read an hour ago, as far as the gauges know");
    }

    @Test
    void binding_needsTheCoordinatorFirst_andOneRegistry() {
        MusterMetrics unbuilt = new MusterMetrics();
        assertThrows(IllegalStateException.class, () -> unbuilt.bindTo(registry));
        MusterMetrics metrics = open(new MusterMetrics());
        assertThrows(IllegalStateException.class, () -> metrics.bindTo(new SimpleMeterRegistry()));
    }

    /** Reads a summary gauge, which refreshes the gauges by type and tier, after the status has aged. */
    private void scrape() {
        clock.advance(Duration.ofSeconds(2));
        registry.get("muster.jobs").tag("state", "QUEUED").gauge().value();
    }

    @Test
    void gaugesByTypeAndTier_appearWithTheirFirstJobOrWorker_andFollowThePool() {
        open(new MusterMetrics(Duration.ZERO));
        submit(3);
        coordinator.submit(List.of(JobSpec.builder("echo", new byte[] {1}).requirements(
                new dev.muster.spi.Requirements(1, 0, true, java.util.Set.of())).build()));
        SigningWorker gold = new SigningWorker(coordinator, "alice");
        coordinator.register(gold.registration(new dev.muster.spi.Capabilities(4, 1024, false,
                java.util.Set.of("tier:gold")), "b", 10));
        scrape();
        assertEquals(4, registry.get("muster.jobs.open").tags("type", "echo", "state", "QUEUED").gauge().value());
        assertEquals(1, registry.get("muster.jobs.unmet").tag("type", "echo").gauge().value(), "nobody has a GPU");
        assertEquals(1, registry.get("muster.workers.tier").tags("tier", "gold", "state", "ACTIVE").gauge().value());
        assertEquals(10, registry.get("muster.leases.capacity.tier").tag("tier", "gold").gauge().value());

        assertEquals(2, gold.lease(2).tickets().size());
        scrape();
        assertEquals(2, registry.get("muster.jobs.open").tags("type", "echo", "state", "RUNNING").gauge().value());
        assertEquals(2, registry.get("muster.leases.tier").tag("tier", "gold").gauge().value());
        coordinator.drain(gold.id());
        scrape();
        assertEquals(1, registry.get("muster.workers.tier").tags("tier", "gold", "state", "DRAINING").gauge().value());
        assertEquals(0, registry.get("muster.leases.capacity.tier").tag("tier", "gold").gauge().value(),
                "a draining worker takes no more work");
    }

    @Test
    void tiersChosenByWorkers_cannotGrowTheRegistryWithoutBound() {
        open(new MusterMetrics(Duration.ZERO));
        int workers = StatusGauges.MAX_TIERS + 20;
        for (int i = 0; i < workers; i++) {
            SigningWorker w = new SigningWorker(coordinator, "mallory");
            coordinator.register(w.registration(new dev.muster.spi.Capabilities(1, 0, false,
                    java.util.Set.of("tier:t" + i)), "b", 1));
        }
        scrape();
        var gauges = registry.find("muster.workers.tier").tag("state", "ACTIVE").gauges();
        assertEquals(StatusGauges.MAX_TIERS, gauges.size(), "49 tiers by name and one for the rest");
        assertEquals(workers, gauges.stream().mapToDouble(g -> g.value()).sum(), "every worker is counted once");
        assertEquals(workers - StatusGauges.MAX_TIERS + 1, registry.get("muster.workers.tier")
                .tags("tier", StatusGauges.OTHER, "state", "ACTIVE").gauge().value());
    }
}
