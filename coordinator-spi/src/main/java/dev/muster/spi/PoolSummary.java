package dev.muster.spi;

import java.util.Map;

/**
 * Counts that describe the pool at one moment.
 *
 * @param workers      workers by state
 * @param jobs         jobs by state
 * @param activeLeases leases currently held
 * @param rejections   entries in the rejection log since start
 */
public record PoolSummary(Map<WorkerState, Long> workers, Map<JobState, Long> jobs, long activeLeases,
                          long rejections) {
    /**
     * Copies the maps.
     *
     * @param workers      workers by state; not null, no null key or value
     * @param jobs         jobs by state; not null, no null key or value
     * @param activeLeases leases currently held
     * @param rejections   entries in the rejection log since start
     */
    public PoolSummary {
        workers = Map.copyOf(workers);
        jobs = Map.copyOf(jobs);
    }
}
