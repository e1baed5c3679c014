package dev.muster.core.metrics;

import dev.muster.core.Activity;
import dev.muster.core.Coordinator;
import dev.muster.core.Instrumentation;
import dev.muster.spi.CoordinatorEvent;
import dev.muster.spi.EventListener;
import dev.muster.spi.JobState;
import dev.muster.spi.PoolSummary;
import dev.muster.spi.WorkerState;
import dev.muster.spi.transport.Exposition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Binds a coordinator's meters to the embedder's Micrometer registry: the pool's jobs and workers
 * by state and its live leases (gauges); unfinished jobs by type, and workers, leases and lease
 * capacity by tier (gauges, see {@code StatusGauges}; they appear as types and tiers are first seen); jobs submitted, accepted, failed, cancelled and retracted
 * by job type, results rejected by reason, keys banned, lease calls throttled, listener failures
 * and suppressed rejections (counters); workers waiting in long polls (a gauge); lease, report,
 * validation and store calls (timers).
 *
 * <pre>{@code
 * MusterMetrics metrics = new MusterMetrics();
 * Coordinator c = Coordinator.builder().instrumentation(metrics)...build();
 * metrics.bindTo(registry);
 * }</pre>
 *
 * <p>Micrometer is an optional dependency of the core: without it on the class path, do not
 * load this class, and nothing of Micrometer is needed. The gauges read the pool summary from the
 * store at most once a second (or as {@linkplain #MusterMetrics(Duration) given}), however many
 * gauges a scrape reads. Counts from before {@link #bindTo} are not kept. Bind it to one registry (a composite
 * one to publish to several); thread-safe.
 */
public final class MusterMetrics implements MeterBinder, Instrumentation, EventListener {
    private final long summaryTtlNanos;
    private volatile Coordinator coordinator;
    private volatile MeterRegistry registry;
    /** The meters every call records to, published together once bound, so no call sees some of them. */
    private record Calls(Timer leases, DistributionSummary leaseTickets, Timer reports,
                         DistributionSummary reportResults, Counter throttled) {}

    private volatile Calls calls;
    // Meters made on first use, found by the plain name or value a call brings: no key is built per call.
    private final Map<String, Timer> storeCallsOk = new ConcurrentHashMap<>();
    private final Map<String, Timer> storeCallsFailed = new ConcurrentHashMap<>();
    private final Map<String, Timer> validationsValid = new ConcurrentHashMap<>();
    private final Map<String, Timer> validationsInvalid = new ConcurrentHashMap<>();
    /** Counters by meter name, then by the value of their one tag ("" for none). */
    private final Map<String, Map<String, Counter>> counters = new ConcurrentHashMap<>();
    private final Object summaryLock = new Object();
    private PoolSummary summary;
    private long summaryAt;
    private volatile StatusGauges statusGauges;
    private final List<Exposition> expositions = new CopyOnWriteArrayList<>();

    /** Meters whose gauges reuse a pool summary for a second. */
    public MusterMetrics() {
        this(Duration.ofSeconds(1));
    }

    /**
     * @param summaryTtl how long the gauges reuse a pool summary read from the store; zero reads it
     *                   for every gauge
     */
    public MusterMetrics(Duration summaryTtl) {
        if (summaryTtl.isNegative()) {
            throw new IllegalArgumentException("summaryTtl must not be negative, was " + summaryTtl);
        }
        this.summaryTtlNanos = summaryTtl.toNanos();
    }

    /**
     * Has the coordinator's transports serve what {@code scrape} renders at {@code /path}, such as
     * a Prometheus registry's {@code scrape()} at {@code /metrics}.
     *
     * @param mediaType the scrape's media type
     * @return this
     */
    public MusterMetrics expose(String path, String mediaType, Supplier<String> scrape) {
        Objects.requireNonNull(scrape, "scrape");
        expositions.add(new Exposition(path, mediaType, () -> scrape.get().getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    @Override
    public List<Exposition> expositions() {
        return List.copyOf(expositions);
    }

    @Override
    public void attached(Coordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public void bindTo(MeterRegistry r) {
        if (registry != null) {
            throw new IllegalStateException("already bound to a registry; bind a composite registry to publish to"
                    + " several");
        }
        Coordinator c = coordinator;
        if (c == null) {
            throw new IllegalStateException("no coordinator yet: give this to CoordinatorBuilder.instrumentation and"
                    + " build the coordinator first");
        }
        for (JobState s : JobState.values()) {
            Gauge.builder("muster.jobs", this, m -> m.read(p -> p.jobs().get(s)))
                    .description("jobs in the store by state").tag("state", s.name()).register(r);
        }
        for (WorkerState s : WorkerState.values()) {
            Gauge.builder("muster.workers", this, m -> m.read(p -> p.workers().get(s)))
                    .description("registered workers by state").tag("state", s.name()).register(r);
        }
        Gauge.builder("muster.leases.active", this, m -> m.read(PoolSummary::activeLeases))
                .description("leases out: replicas held by workers").register(r);
        statusGauges = new StatusGauges(r);
        Activity a = c.activity();
        FunctionCounter.builder("muster.listener.failures", a, Activity::listenerFailures)
                .description("events a listener threw on").register(r);
        FunctionCounter.builder("muster.rejections.suppressed", a, Activity::suppressedRejections)
                .description("rejections counted but not logged, over a worker's share of the log").register(r);
        Gauge.builder("muster.longpoll.waiters", a, Activity::longPollWaiters)
                .description("workers waiting in a long poll for work").register(r);
        calls = new Calls(
                Timer.builder("muster.lease").description("lease attempts: calls, idle polls and the retries of"
                        + " waiting long polls").register(r),
                DistributionSummary.builder("muster.lease.tickets").description("tickets per lease attempt")
                        .register(r),
                Timer.builder("muster.report").description("report calls").register(r),
                DistributionSummary.builder("muster.report.results").description("results per report call")
                        .register(r),
                Counter.builder("muster.leases.throttled")
                        .description("lease attempts given less than asked by the lease rate").register(r));
        registry = r;
    }

    private double read(Function<PoolSummary, Number> read) {
        PoolSummary p = summary();
        if (p == null) {
            return Double.NaN;
        }
        Number n = read.apply(p);
        return n == null ? 0 : n.doubleValue();
    }

    private PoolSummary summary() {
        synchronized (summaryLock) {
            long now = System.nanoTime();
            if (summary == null || now - summaryAt >= summaryTtlNanos) {
                try {
                    summary = coordinator.summary();
                    summaryAt = now;
                    StatusGauges g = statusGauges;
                    if (g != null) {
                        g.refresh(coordinator);
                    }
                } catch (RuntimeException e) {
                    // The store is down: the gauges show no value rather than a stale one.
                    summary = null;
                    StatusGauges g = statusGauges;
                    if (g != null) {
                        g.clear();
                    }
                }
            }
            return summary;
        }
    }

    @Override
    public void leased(int tickets, long nanos) {
        Calls c = calls;
        if (c != null) {
            c.leases().record(nanos, TimeUnit.NANOSECONDS);
            c.leaseTickets().record(tickets);
        }
    }

    @Override
    public void reported(int results, long nanos) {
        Calls c = calls;
        if (c != null) {
            c.reports().record(nanos, TimeUnit.NANOSECONDS);
            c.reportResults().record(results);
        }
    }

    @Override
    public void submitted(String jobType, int jobs) {
        count("muster.jobs.submitted", "type", jobType, jobs);
    }

    @Override
    public void validated(String jobType, boolean valid, long nanos) {
        MeterRegistry r = registry;
        if (r != null) {
            (valid ? validationsValid : validationsInvalid).computeIfAbsent(jobType,
                    k -> Timer.builder("muster.validation").description("validator calls")
                            .tags("type", jobType, "valid", Boolean.toString(valid)).register(r))
                    .record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void storeCalled(String operation, long nanos, boolean failed) {
        MeterRegistry r = registry;
        if (r != null) {
            (failed ? storeCallsFailed : storeCallsOk).computeIfAbsent(operation,
                    k -> Timer.builder("muster.store.calls").description("store calls by operation")
                            .tags("operation", operation, "outcome", failed ? "failed" : "ok").register(r))
                    .record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void leaseThrottled() {
        Calls c = calls;
        if (c != null) {
            c.throttled().increment();
        }
    }

    @Override
    public void onEvent(CoordinatorEvent event) {
        if (event instanceof CoordinatorEvent.JobAccepted e) {
            count("muster.jobs.accepted", "type", e.job().spec().type(), 1);
        } else if (event instanceof CoordinatorEvent.JobFailed e) {
            count("muster.jobs.failed", "type", e.job().spec().type(), 1);
        } else if (event instanceof CoordinatorEvent.JobCancelled e) {
            count("muster.jobs.cancelled", "type", e.job().spec().type(), 1);
        } else if (event instanceof CoordinatorEvent.JobRetracted e) {
            count("muster.jobs.retracted", "type", e.job().spec().type(), 1);
        } else if (event instanceof CoordinatorEvent.ResultRejected e) {
            count("muster.results.rejected", "reason", e.rejection().reason().name(), 1);
        } else if (event instanceof CoordinatorEvent.WorkerBanned) {
            count("muster.workers.banned", null, null, 1);
        }
    }

    private void count(String name, String tag, String value, double amount) {
        MeterRegistry r = registry;
        if (r == null) {
            return;
        }
        counters.computeIfAbsent(name, n -> new ConcurrentHashMap<>())
                .computeIfAbsent(tag == null ? "" : value, v -> Counter.builder(name)
                        .tags(tag == null ? Tags.empty() : Tags.of(tag, value)).register(r))
                .increment(amount);
    }
}
