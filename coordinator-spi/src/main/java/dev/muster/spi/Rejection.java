package dev.muster.spi;

import java.time.Instant;

/**
 * An entry of the rejection and anomaly log.
 *
 * @param at      when it happened
 * @param worker  the worker whose input was rejected
 * @param jobId   the job concerned, or null when the whole report was rejected
 * @param replica the replica concerned, or -1
 * @param reason  why
 * @param detail  human-readable details, fitted to {@link Limits#REJECTION_DETAIL}
 */
public record Rejection(Instant at, WorkerId worker, JobId jobId, int replica, RejectionReason reason, String detail) {
    /**
     * Fits the detail to its limit.
     *
     * @param at      when it happened; not null
     * @param worker  the worker whose input was rejected; not null
     * @param jobId   the job concerned, or null
     * @param replica the replica concerned, or -1
     * @param reason  why; not null
     * @param detail  human-readable details; not null, truncated to {@link Limits#REJECTION_DETAIL}
     * @throws InvalidRequestException if a required field is null
     */
    public Rejection {
        Checks.notNull(at, "at");
        Checks.notNull(worker, "worker");
        Checks.notNull(reason, "reason");
        detail = Limits.REJECTION_DETAIL.fit(Checks.notNull(detail, "detail"));
    }
}
