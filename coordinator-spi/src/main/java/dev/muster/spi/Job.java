package dev.muster.spi;

import java.time.Instant;

/**
 * A snapshot of a job as the store holds it.
 *
 * @param id             store-assigned id
 * @param spec           what was submitted
 * @param digest         content digest, see {@link JobSpec#contentDigest()}
 * @param payloadDigest  SHA-256 of the payload, hex; bound into tickets
 * @param state          where the job is in its life
 * @param replicasWanted replicas the trust policy asks for so far (grows when replicas disagree)
 * @param attempts       leases that ended without a valid result
 * @param submittedAt    when the store accepted it
 * @param finishedAt     when it reached a final state, or null
 * @param acceptedDigest digest of the accepted result, or null
 * @param failureReason  why it failed or was cancelled, or null
 */
public record Job(
        JobId id,
        JobSpec spec,
        String digest,
        String payloadDigest,
        JobState state,
        int replicasWanted,
        int attempts,
        Instant submittedAt,
        Instant finishedAt,
        String acceptedDigest,
        String failureReason) {

    /**
     * Checks the snapshot.
     *
     * @param id             store-assigned id; not null
     * @param spec           what was submitted; not null
     * @param digest         content digest; not null
     * @param payloadDigest  SHA-256 of the payload, hex; not null
     * @param state          where the job is in its life; not null
     * @param replicasWanted replicas the trust policy asks for so far
     * @param attempts       leases that ended without a valid result
     * @param submittedAt    when the store accepted it; not null
     * @param finishedAt     when it reached a final state, or null
     * @param acceptedDigest digest of the accepted result, or null
     * @param failureReason  why it failed or was cancelled, or null
     * @throws InvalidRequestException if a required field is null
     */
    public Job {
        Checks.notNull(id, "id");
        Checks.notNull(spec, "spec");
        Checks.notNull(digest, "digest");
        Checks.notNull(payloadDigest, "payloadDigest");
        Checks.notNull(state, "state");
        Checks.notNull(submittedAt, "submittedAt");
    }
}
