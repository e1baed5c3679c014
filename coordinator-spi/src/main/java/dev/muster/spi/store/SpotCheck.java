package dev.muster.spi.store;

import dev.muster.spi.Checks;
import dev.muster.spi.JobId;

/**
 * What makes a job a hidden spot-check: it repeats an accepted job under a fresh id, and a right
 * answer has the digest that job was accepted with. A worker cannot tell it from real work; a
 * store never leases it to an owner that answered or held the source job, which has seen the seed.
 *
 * @param source      the accepted job it repeats
 * @param knownDigest the digest of the right answer
 */
public record SpotCheck(JobId source, String knownDigest) {
    /**
     * The submitter of every spot-check, reserved for the coordinator: its jobs are never announced
     * to listeners, whose pipelines would otherwise receive each repeated result twice.
     */
    public static final String SUBMITTER = "muster:spot-checks";

    /**
     * Checks the spot-check.
     *
     * @param source      the accepted job it repeats; not null
     * @param knownDigest the digest of the right answer; not null
     * @throws dev.muster.spi.InvalidRequestException if a field is missing
     */
    public SpotCheck {
        Checks.notNull(source, "source");
        Checks.notNull(knownDigest, "knownDigest");
    }
}
