package dev.muster.spi;

import java.time.Instant;

/**
 * Credit granted to one worker (and its owner) for one accepted replica.
 *
 * @param jobId   the accepted job
 * @param replica the replica whose result agreed
 * @param worker  who ran it
 * @param owner   the worker's owner at the time
 * @param amount  credit granted; the same for every valid replica of a job
 * @param at      when it was granted
 */
public record CreditEntry(JobId jobId, int replica, WorkerId worker, String owner, double amount, Instant at) {
    /**
     * Checks the entry.
     *
     * @param jobId   the accepted job; not null
     * @param replica the replica whose result agreed
     * @param worker  who ran it; not null
     * @param owner   the worker's owner at the time; not null
     * @param amount  credit granted, finite and not negative
     * @param at      when it was granted; not null
     * @throws InvalidRequestException if a field is missing or the amount is negative
     */
    public CreditEntry {
        Checks.notNull(jobId, "jobId");
        Checks.notNull(worker, "worker");
        Checks.notNull(owner, "owner");
        Checks.notNull(at, "at");
        if (!(amount >= 0) || Double.isInfinite(amount)) {
            throw new InvalidRequestException("credit must be a finite non-negative number, was " + amount);
        }
    }
}
