package dev.muster.spi;

import java.time.Instant;

/**
 * One leased replica as a worker sees it: enough to run the job and to report its result.
 *
 * @param jobId         the job
 * @param replica       replica number within the job; reported back with the result
 * @param type          job type, selects the worker-side handler
 * @param spec          the job as submitted
 * @param payloadDigest SHA-256 of the payload in hex, bound by the coordinator's signature; a
 *                      worker should check it against the payload before running the job
 * @param deadline      the lease ends then; a result after it is rejected
 * @param traceparent   the submitter's W3C trace context for the job ({@link Traceparent}), or null:
 *                      none was given, or the pool runs hidden spot-checks, where a trace shared
 *                      with an older job would tell a worker which job is a check. Not covered by
 *                      the ticket batch's signature: it names a trace, and decides nothing
 */
public record Ticket(JobId jobId, int replica, String type, JobSpec spec, String payloadDigest, Instant deadline,
                     String traceparent) {
    /**
     * Checks the ticket.
     *
     * @param jobId         the job; not null
     * @param replica       replica number, not negative
     * @param type          job type; not null
     * @param spec          the job as submitted; not null
     * @param payloadDigest SHA-256 of the payload in hex; not null
     * @param deadline      when the lease ends; not null
     * @param traceparent   null, or a valid W3C {@code traceparent} value
     * @throws InvalidRequestException if a field is missing
     */
    public Ticket {
        Checks.notNull(jobId, "jobId");
        Checks.range(replica, "replica", 0, Integer.MAX_VALUE);
        Checks.notNull(type, "type");
        Checks.notNull(spec, "spec");
        Checks.notNull(payloadDigest, "payloadDigest");
        Checks.notNull(deadline, "deadline");
        Traceparent.check(traceparent);
    }

    /**
     * A ticket without trace context.
     *
     * @param jobId         the job; not null
     * @param replica       replica number, not negative
     * @param type          job type; not null
     * @param spec          the job as submitted; not null
     * @param payloadDigest SHA-256 of the payload in hex; not null
     * @param deadline      when the lease ends; not null
     */
    public Ticket(JobId jobId, int replica, String type, JobSpec spec, String payloadDigest, Instant deadline) {
        this(jobId, replica, type, spec, payloadDigest, deadline, null);
    }

    /**
     * Returns the job's seed.
     *
     * @return the job's seed
     */
    public long seed() {
        return spec.seed();
    }
}
