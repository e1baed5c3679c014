package dev.muster.core.metrics;

import dev.muster.core.Coordinator;
import dev.muster.spi.OpenJobs;
import dev.muster.spi.PoolStatus;
import dev.muster.spi.WorkerGroup;
import dev.muster.spi.WorkerState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Gauges by job type and by worker tier, read from the coordinator's {@link PoolStatus}: queued,
 * running, awaiting agreement and unmet jobs per type; workers per tier and state, and leases and
 * lease capacity (of the workers that take work) per tier. Each refresh folds the status into
 * counts per type and per tier once; a gauge reads its count. Types and tiers appear as they are
 * first seen, so a gauge exists from the refresh after its first job or worker. Job types are
 * bounded by the validators a pool runs; tiers are chosen by workers, so beyond
 * {@value #MAX_TIERS} of them the rest are counted under {@value #OTHER}, and a volunteer cannot
 * grow the registry without bound.
 */
final class StatusGauges {
    static final int MAX_TIERS = 50;
    static final String OTHER = "other";
    private static final int QUEUED = 0;
    private static final int RUNNING = 1;
    private static final int AWAITING = 2;
    private static final int UNMET = 3;
    private static final int LEASES = WorkerState.values().length;
    private static final int CAPACITY = LEASES + 1;

    /** Counts of one refresh; the gauges read the latest, or nothing while the store is down. */
    private record Counts(Map<String, long[]> byType, Map<String, long[]> byTier) {}

    private final MeterRegistry registry;
    private final Set<String> types = ConcurrentHashMap.newKeySet();
    private final Set<String> tiers = ConcurrentHashMap.newKeySet();
    private volatile Counts counts;

    StatusGauges(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Forgets the last counts, so that the gauges show no value rather than a stale one. */
    void clear() {
        counts = null;
    }

    /** Reads the status (the coordinator keeps it a couple of seconds) and adds gauges for new types and tiers. */
    void refresh(Coordinator coordinator) {
        PoolStatus s;
        try {
            s = coordinator.status();
        } catch (RuntimeException e) {
            clear();
            return;
        }
        Map<String, long[]> byType = new HashMap<>();
        for (OpenJobs o : s.openJobs()) {
            long[] n = byType.computeIfAbsent(o.type(), k -> new long[4]);
            n[QUEUED] += o.queued();
            n[RUNNING] += o.running();
            n[AWAITING] += o.awaitingAgreement();
        }
        s.unmet().forEach(o -> byType.get(o.type())[UNMET] += o.queued());
        Map<String, long[]> byTier = new HashMap<>();
        for (WorkerGroup g : s.workers()) {
            long[] n = byTier.computeIfAbsent(admit(WorkerGroup.tierOf(g.capabilities())), k -> new long[CAPACITY + 1]);
            n[g.state().ordinal()] += g.workers();
            n[LEASES] += g.leases();
            if (g.state().canLease()) {
                n[CAPACITY] += g.capacity();
            }
        }
        counts = new Counts(Map.copyOf(byType), Map.copyOf(byTier));
        byType.keySet().forEach(this::registerType);
    }

    /** @return the name a tier is counted under, its gauges registered: its own, or {@value #OTHER} past the cap */
    private String admit(String tier) {
        String name = tiers.contains(tier) || tiers.size() < MAX_TIERS - 1 ? tier : OTHER;
        registerTier(name);
        return name;
    }

    private void registerType(String type) {
        if (!types.add(type)) {
            return;
        }
        String d = "unfinished jobs by type";
        gauge("muster.jobs.open", d, g -> g.count(type, true, QUEUED)).tags("type", type, "state", "QUEUED")
                .register(registry);
        gauge("muster.jobs.open", d, g -> g.count(type, true, RUNNING)).tags("type", type, "state", "RUNNING")
                .register(registry);
        gauge("muster.jobs.awaiting.agreement", "running jobs that have a result and wait for more",
                g -> g.count(type, true, AWAITING)).tag("type", type).register(registry);
        gauge("muster.jobs.unmet", "queued jobs whose requirements no worker taking work meets",
                g -> g.count(type, true, UNMET)).tag("type", type).register(registry);
    }

    private void registerTier(String tier) {
        if (!tiers.add(tier)) {
            return;
        }
        for (WorkerState state : WorkerState.values()) {
            gauge("muster.workers.tier", "registered workers by tier and state", g -> g.count(tier, false,
                    state.ordinal())).tags("tier", tier, "state", state.name()).register(registry);
        }
        gauge("muster.leases.tier", "leases held by the workers of a tier", g -> g.count(tier, false, LEASES))
                .tag("tier", tier).register(registry);
        gauge("muster.leases.capacity.tier", "the sum of the concurrent-lease limits of a tier's workers that take"
                + " work", g -> g.count(tier, false, CAPACITY)).tag("tier", tier).register(registry);
    }

    private Gauge.Builder<StatusGauges> gauge(String name, String description, ToDoubleFunction<StatusGauges> read) {
        return Gauge.builder(name, this, read).description(description);
    }

    private double count(String key, boolean type, int index) {
        Counts c = counts;
        if (c == null) {
            return Double.NaN;
        }
        long[] n = (type ? c.byType() : c.byTier()).get(key);
        return n == null ? 0 : n[index];
    }
}
