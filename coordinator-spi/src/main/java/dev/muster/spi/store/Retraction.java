package dev.muster.spi.store;

import dev.muster.spi.Checks;
import dev.muster.spi.Job;

/**
 * An accepted job taken back because the results it relied on no longer carry it (a key that
 * reported one was banned). The job is open again, or accepted with another digest.
 *
 * @param job              the job after the retraction
 * @param retractedDigest  the digest that had been accepted
 * @param reason           why, for logs and listeners
 */
public record Retraction(Job job, String retractedDigest, String reason) {
    /**
     * Checks the retraction.
     *
     * @param job             the job after the retraction; not null
     * @param retractedDigest the digest that had been accepted; not null
     * @param reason          why; not null
     * @throws dev.muster.spi.InvalidRequestException if a field is missing
     */
    public Retraction {
        Checks.notNull(job, "job");
        Checks.notNull(retractedDigest, "retractedDigest");
        Checks.notNull(reason, "reason");
    }
}
