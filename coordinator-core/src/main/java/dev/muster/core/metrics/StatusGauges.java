package dev.muster.core.metrics;

import dev.muster.core.Coordinator;
import dev.muster.spi.OpenJobs;
import dev.muster.spi.PoolStatus;
import dev.muster.spi.WorkerGroup;
import dev.muster.spi.WorkerState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Gauges by job type and by worker tier, read from the coordinator's {@link PoolStatus}: queued,
 * running, awaiting agreement and unmet jobs per type; workers per tier and state, and leases and
 * lease capacity per tier. Types and tiers appear as they are first seen, so a gauge exists from
 * the refresh after its first job or worker. Job types are bounded by the validators a pool
 * runs; tiers are chosen by workers, so beyond {@value #MAX_TIERS} of them the rest are counted
 * under {@code other}, and a volunteer cannot grow the registry without bound.
 */
final class StatusGauges {
    static final int MAX_TIERS = 50;
    static final String OTHER = "other";

    private final MeterRegistry registry;
    private final Set<String> types = ConcurrentHashMap.newKeySet();
    private final Set<String> tiers = ConcurrentHashMap.newKeySet();
    private volatile PoolStatus status;

    StatusGauges(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Reads the status (the coordinator keeps it a couple of seconds) and adds gauges for new types and tiers. */
    void refresh(Coordinator coordinator) {
        PoolStatus s;
        try {
            s = coordinator.status();
        } catch (RuntimeException e) {
            // The store is down: the gauges show no value rather than a stale one.
            status = null;
            return;
        }
        status = s;
        for (OpenJobs o : s.openJobs()) {
            if (types.add(o.type())) {
                typeGauge("muster.jobs.open", o.type(), "state", "QUEUED", "unfinished jobs by type", OpenJobs::queued);
                typeGauge("muster.jobs.open", o.type(), "state", "RUNNING", "unfinished jobs by type", OpenJobs::running);
                typeGauge("muster.jobs.awaiting.agreement", o.type(), null, null,
                        "running jobs that have a result and wait for more", OpenJobs::awaitingAgreement);
                Gauge.builder("muster.jobs.unmet", this, g -> g.sum(st -> st.unmet().stream()
                                .filter(u -> u.type().equals(o.type())).mapToLong(OpenJobs::queued).sum()))
                        .description("queued jobs whose requirements no active worker meets").tag("type", o.type())
                        .register(registry);
            }
        }
        for (WorkerGroup g : s.workers()) {
            String tier = tier(WorkerGroup.tierOf(g.capabilities()));
            if (tiers.add(tier)) {
                for (WorkerState state : WorkerState.values()) {
                    tierGauge("muster.workers.tier", tier, state, "registered workers by tier and state",
                            w -> w.state() == state, WorkerGroup::workers);
                }
                tierGauge("muster.leases.tier", tier, null, "leases held by the workers of a tier", w -> true,
                        WorkerGroup::leases);
                tierGauge("muster.leases.capacity.tier", tier, null,
                        "the sum of the concurrent-lease limits of a tier's active workers",
                        w -> w.state() == WorkerState.ACTIVE, WorkerGroup::capacity);
            }
        }
    }

    private String tier(String tier) {
        return tiers.contains(tier) || tiers.size() < MAX_TIERS - 1 ? tier : OTHER;
    }

    private double sum(ToLongFunction<PoolStatus> read) {
        PoolStatus s = status;
        return s == null ? Double.NaN : read.applyAsLong(s);
    }

    private void typeGauge(String name, String type, String tag, String value, String description,
                           ToLongFunction<OpenJobs> count) {
        Gauge.Builder<StatusGauges> b = Gauge.builder(name, this, g -> g.sum(s -> s.openJobs().stream()
                .filter(o -> o.type().equals(type)).mapToLong(count).sum()))
                .description(description).tag("type", type);
        if (tag != null) {
            b.tag(tag, value);
        }
        b.register(registry);
    }

    /** A gauge of one tier that sums {@code count} over the groups {@code which} picks. */
    private void tierGauge(String name, String tier, WorkerState state, String description,
                           Predicate<WorkerGroup> which, ToLongFunction<WorkerGroup> count) {
        Gauge.Builder<StatusGauges> b = Gauge.builder(name, this, g -> g.sum(s -> s.workers().stream()
                .filter(w -> which.test(w) && tier(WorkerGroup.tierOf(w.capabilities())).equals(tier))
                .mapToLong(count).sum())).description(description).tag("tier", tier);
        if (state != null) {
            b.tag("state", state.name());
        }
        b.register(registry);
    }
}
