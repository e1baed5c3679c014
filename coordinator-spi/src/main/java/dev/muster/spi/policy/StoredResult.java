package dev.muster.spi.policy;

import dev.muster.spi.Checks;
import dev.muster.spi.JobId;
import dev.muster.spi.WorkerId;
import java.time.Instant;
import java.util.Map;

/**
 * A result as the store keeps it, valid or not, with who reported it.
 *
 * @param jobId         the job
 * @param replica       the replica
 * @param worker        who reported it
 * @param owner         the worker's owner
 * @param resultDigest  SHA-256 of the result, hex
 * @param result        the result bytes (shared, do not modify)
 * @param metadata      the reported metadata
 * @param valid         whether the validator accepted it
 * @param invalidReason the validator's reason, or empty
 * @param claimedCredit credit the validator claimed for it
 * @param at            when it was recorded
 */
public record StoredResult(
        JobId jobId, int replica, WorkerId worker, String owner, String resultDigest, byte[] result,
        Map<String, String> metadata, boolean valid, String invalidReason, double claimedCredit, Instant at) {
    /**
     * Checks the result and copies the metadata; the result bytes are shared, not copied.
     *
     * @param jobId         the job; not null
     * @param replica       the replica
     * @param worker        who reported it; not null
     * @param owner         the worker's owner; not null
     * @param resultDigest  SHA-256 of the result, hex; not null
     * @param result        the result bytes; not null
     * @param metadata      the reported metadata; not null
     * @param valid         whether the validator accepted it
     * @param invalidReason the validator's reason; not null, empty for a valid result
     * @param claimedCredit credit the validator claimed for it
     * @param at            when it was recorded; not null
     * @throws dev.muster.spi.InvalidRequestException if a required field is null
     */
    public StoredResult {
        Checks.notNull(jobId, "jobId");
        Checks.notNull(worker, "worker");
        Checks.notNull(owner, "owner");
        Checks.notNull(resultDigest, "resultDigest");
        Checks.notNull(result, "result");
        metadata = Map.copyOf(metadata);
        Checks.notNull(invalidReason, "invalidReason");
        Checks.notNull(at, "at");
    }
}
