package dev.muster.spi.store;

import dev.muster.spi.JobId;
import dev.muster.spi.WorkerId;
import java.time.Instant;

/**
 * One replica of a job held by one worker until a deadline.
 *
 * @param jobId    the job
 * @param replica  replica number, unique within the job
 * @param worker   the holder
 * @param owner    the holder's owner
 * @param leasedAt when it was leased
 * @param deadline when it expires
 */
public record Lease(JobId jobId, int replica, WorkerId worker, String owner, Instant leasedAt, Instant deadline) {}
