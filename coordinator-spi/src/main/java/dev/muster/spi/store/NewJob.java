package dev.muster.spi.store;

import dev.muster.spi.Checks;
import dev.muster.spi.JobSpec;
import java.time.Instant;

/**
 * A job to store, with what the coordinator derived from it.
 *
 * @param spec          what was submitted
 * @param digest        content digest
 * @param payloadDigest SHA-256 of the payload
 * @param replicas      replicas the trust policy wants to start with
 * @param submittedAt   when
 * @param spotCheck     what makes it a hidden spot-check, or null for real work
 */
public record NewJob(JobSpec spec, String digest, String payloadDigest, int replicas, Instant submittedAt,
                     SpotCheck spotCheck) {
    /**
     * Checks the job.
     *
     * @param spec          what was submitted; not null
     * @param digest        content digest; not null
     * @param payloadDigest SHA-256 of the payload; not null
     * @param replicas      replicas to start with, from 1 to 1,000
     * @param submittedAt   when; not null
     * @param spotCheck     what makes it a spot-check, or null for real work
     * @throws dev.muster.spi.InvalidRequestException if a field is missing
     */
    public NewJob {
        Checks.notNull(spec, "spec");
        Checks.notNull(digest, "digest");
        Checks.notNull(payloadDigest, "payloadDigest");
        Checks.range(replicas, "replicas", 1, 1_000);
        Checks.notNull(submittedAt, "submittedAt");
    }

    /**
     * A job of real work, not a spot-check.
     *
     * @param spec          what was submitted; not null
     * @param digest        content digest; not null
     * @param payloadDigest SHA-256 of the payload; not null
     * @param replicas      replicas to start with, from 1 to 1,000
     * @param submittedAt   when; not null
     */
    public NewJob(JobSpec spec, String digest, String payloadDigest, int replicas, Instant submittedAt) {
        this(spec, digest, payloadDigest, replicas, submittedAt, null);
    }

    /**
     * The key under which a submitter's resubmission finds its earlier job: the idempotency key
     * when one is given, the content digest otherwise.
     *
     * @return the key, prefixed so that an idempotency key never equals a digest
     */
    public String dedupKey() {
        return spec.idempotencyKey() != null ? "k:" + spec.idempotencyKey() : "d:" + digest;
    }
}
