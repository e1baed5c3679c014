package dev.muster.spi.store;

import dev.muster.spi.Job;

/**
 * A lease that ended without a result (expired, given up by its worker, or its worker went
 * offline or was banned). It counted an attempt, unless its worker gave it up unrun; the replica
 * went back to the queue unless attempts ran out.
 *
 * @param lease the lease that ended
 * @param job   the job after the release; {@code FAILED} if attempts ran out
 */
public record Released(Lease lease, Job job) {}
