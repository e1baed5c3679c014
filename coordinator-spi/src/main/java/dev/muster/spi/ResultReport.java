package dev.muster.spi;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A worker's result for one replica.
 *
 * @param jobId        the job
 * @param replica      replica number from the ticket
 * @param seed         the job's seed, bound by the worker's signature
 * @param result       result bytes (for a game: winner, turns, log digest...)
 * @param resultDigest SHA-256 of {@code result}, hex; replicas agree when their digests match
 * @param metadata     small key-value facts a validator may check (turn count, winner, duration)
 */
public record ResultReport(
        JobId jobId, int replica, long seed, byte[] result, String resultDigest, Map<String, String> metadata) {

    /** @throws InvalidRequestException if a field is missing or too large */
    public ResultReport {
        Checks.notNull(jobId, "jobId");
        Checks.range(replica, "replica", 0, Integer.MAX_VALUE);
        result = Checks.notNull(result, "result").clone();
        Digests.requireSha256Hex(resultDigest, "resultDigest");
        Checks.size(metadata, "metadata", Limits.MAX_METADATA);
        metadata.forEach((k, v) -> {
            Checks.text(k, "metadata key", Limits.METADATA_LENGTH);
            Checks.notNull(v, "metadata value of " + k);
            Checks.range(v.length(), "metadata value length of " + k, 0, Limits.METADATA_LENGTH);
        });
        metadata = Map.copyOf(metadata);
    }

    /** @return a report whose digest is computed from {@code result} */
    public static ResultReport of(JobId jobId, int replica, long seed, byte[] result, Map<String, String> metadata) {
        return new ResultReport(jobId, replica, seed, result, Digests.sha256Hex(result), metadata);
    }

    /** @return a copy of the result bytes */
    @Override
    public byte[] result() {
        return result.clone();
    }

    /** @return whether {@link #resultDigest()} is the SHA-256 of the result bytes */
    public boolean digestMatches() {
        return Digests.sha256Hex(result).equals(resultDigest);
    }

    /** @return the result length without copying it */
    public int resultSize() {
        return result.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResultReport r && jobId.equals(r.jobId) && replica == r.replica && seed == r.seed
                && Arrays.equals(result, r.result) && resultDigest.equals(r.resultDigest)
                && metadata.equals(r.metadata);
    }

    @Override
    public int hashCode() {
        return Objects.hash(jobId, replica, seed, resultDigest);
    }

    @Override
    public String toString() {
        return "ResultReport[job=" + jobId + ", replica=" + replica + ", digest=" + resultDigest
                + ", metadata=" + metadata + "]";
    }
}
