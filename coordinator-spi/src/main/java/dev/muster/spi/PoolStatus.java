package dev.muster.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What an operator needs to see of a pool at one moment: the summary, the unfinished jobs by type
 * and requirements, the workers by state and capabilities, the jobs decided per hour over the last
 * day, the jobs that no worker taking work can take, and the latest rejections.
 *
 * @param at               when it was read
 * @param summary          counts of workers, jobs and leases
 * @param openJobs         unfinished jobs by type and requirements
 * @param workers          workers by state, cores, GPU and labels, with their leases
 * @param lastDay          jobs accepted and failed per hour over the last 24 hours, oldest first;
 *                         hours with none are left out
 * @param unmet            the rows of {@code openJobs} with queued jobs whose requirements no worker
 *                         that takes work (active or degraded) meets: where the pool is short
 * @param latestRejections the newest entries of the rejection log, newest first
 */
public record PoolStatus(Instant at, PoolSummary summary, List<OpenJobs> openJobs, List<WorkerGroup> workers,
                         List<HourlyOutcomes> lastDay, List<OpenJobs> unmet, List<Rejection> latestRejections) {
    /**
     * Copies the lists.
     *
     * @param at               when it was read; not null
     * @param summary          counts of workers, jobs and leases; not null
     * @param openJobs         unfinished jobs by type and requirements; not null
     * @param workers          workers by state and capabilities; not null
     * @param lastDay          jobs decided per hour over the last 24 hours; not null
     * @param unmet            rows of {@code openJobs} no worker taking work meets; not null
     * @param latestRejections the newest rejections; not null
     */
    public PoolStatus {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(summary, "summary");
        openJobs = List.copyOf(openJobs);
        workers = List.copyOf(workers);
        lastDay = List.copyOf(lastDay);
        unmet = List.copyOf(unmet);
        latestRejections = List.copyOf(latestRejections);
    }
}
