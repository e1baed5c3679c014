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

    /**
     * Checks the report's form. Sizes are not checked here but by {@link #overLimit()}, so that
     * one oversized result in a report is rejected on its own rather than failing the report.
     *
     * @param jobId        the job; not null
     * @param replica      replica number from the ticket, not negative
     * @param seed         the job's seed
     * @param result       result bytes; not null, copied
     * @param resultDigest 64 lower-case hex characters
     * @param metadata     not null; keys non-blank without control characters, values not null; copied
     * @throws InvalidRequestException if a field is missing or malformed
     */
    public ResultReport {
        Checks.notNull(jobId, "jobId");
        Checks.range(replica, "replica", 0, Integer.MAX_VALUE);
        result = Checks.notNull(result, "result").clone();
        Digests.requireSha256Hex(resultDigest, "resultDigest");
        Checks.notNull(metadata, "metadata");
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            Checks.printable(e.getKey(), "metadata key");
            Checks.notNull(e.getValue(), "metadata value of " + e.getKey());
        }
        metadata = Map.copyOf(metadata);
    }

    /**
     * The first way the metadata breaks {@link Limits#METADATA_ENTRIES}, {@link Limits#METADATA_KEY}
     * or {@link Limits#METADATA_VALUE}. The coordinator rejects such a result as
     * {@link RejectionReason#TOO_LARGE}, like a result over its size limit.
     *
     * @return a message naming the field and the limit, or null if the metadata is within limits
     */
    public String overLimit() {
        if (metadata.size() > Limits.METADATA_ENTRIES.max()) {
            return "metadata has " + metadata.size() + " entries; the limit is " + Limits.METADATA_ENTRIES.max();
        }
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            String key = e.getKey();
            String shown = key.length() > 40 ? key.substring(0, 40) + "..." : key;
            if (key.length() > Limits.METADATA_KEY.max()) {
                return "metadata key '" + shown + "' is " + key.length() + " characters long; the limit is "
                        + Limits.METADATA_KEY.max();
            }
            if (e.getValue().length() > Limits.METADATA_VALUE.max()) {
                return "metadata value of '" + shown + "' is " + e.getValue().length()
                        + " characters long; the limit is " + Limits.METADATA_VALUE.max();
            }
        }
        return null;
    }

    /**
     * Returns a report whose digest is computed from {@code result}.
     *
     * @param jobId    the job; not null
     * @param replica  replica number from the ticket, not negative
     * @param seed     the job's seed, from the ticket
     * @param result   result bytes; not null, copied
     * @param metadata small key-value facts a validator may check; not null, may be empty
     * @return a report whose digest is computed from {@code result}
     */
    public static ResultReport of(JobId jobId, int replica, long seed, byte[] result, Map<String, String> metadata) {
        return new ResultReport(jobId, replica, seed, result, Digests.sha256Hex(result), metadata);
    }

    /**
     * Returns a copy of the result bytes.
     *
     * @return a copy of the result bytes
     */
    @Override
    public byte[] result() {
        return result.clone();
    }

    /**
     * Returns whether {@link #resultDigest()} is the SHA-256 of the result bytes.
     *
     * @return whether {@link #resultDigest()} is the SHA-256 of the result bytes
     */
    public boolean digestMatches() {
        return Digests.sha256Hex(result).equals(resultDigest);
    }

    /**
     * Returns the result length without copying it.
     *
     * @return the result length without copying it
     */
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
