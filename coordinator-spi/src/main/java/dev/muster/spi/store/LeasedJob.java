package dev.muster.spi.store;

import dev.muster.spi.Job;

/**
 * A new lease and the job it is for.
 *
 * @param lease the lease
 * @param job   the job, {@code RUNNING}
 */
public record LeasedJob(Lease lease, Job job) {}
