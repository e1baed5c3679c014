package dev.muster.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * Counts of the registered workers that are in one state and offer the same cores, GPU and
 * labels, with the leases they hold: what the status page and the gauges by tier are built from.
 * Memory is not part of the grouping (every volunteer's machine has its own): a group names the
 * most memory any of its workers offers, so that it meets a job's requirements exactly when one
 * of its workers does.
 *
 * @param state        their state
 * @param capabilities their cores, GPU and labels, with the most memory any of them offers
 * @param workers      how many workers
 * @param capacity     the sum of their concurrent-lease limits
 * @param leases       leases they hold now
 * @param lastContact  the latest sign of life among them
 */
public record WorkerGroup(WorkerState state, Capabilities capabilities, long workers, long capacity, long leases,
                          Instant lastContact) {
    /** The label prefix that names a worker's tier, as in {@code "tier:gold"}. */
    public static final String TIER_PREFIX = "tier:";

    /**
     * Checks the group.
     *
     * @param state        their state; not null
     * @param capabilities their cores, GPU and labels, with the most memory; not null
     * @param workers      how many workers
     * @param capacity     the sum of their concurrent-lease limits
     * @param leases       leases they hold now
     * @param lastContact  the latest sign of life among them; not null
     * @throws NullPointerException if a field is null
     */
    public WorkerGroup {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(capabilities, "capabilities");
        Objects.requireNonNull(lastContact, "lastContact");
    }

    /**
     * Names the tier of workers with these capabilities: the text after {@value #TIER_PREFIX} of
     * their first such label in alphabetical order, or {@code "none"} without one.
     *
     * @param capabilities a worker's capabilities
     * @return the tier name
     */
    public static String tierOf(Capabilities capabilities) {
        return capabilities.labels().stream().filter(l -> l.startsWith(TIER_PREFIX)).sorted().findFirst()
                .map(l -> l.substring(TIER_PREFIX.length())).orElse("none");
    }
}
