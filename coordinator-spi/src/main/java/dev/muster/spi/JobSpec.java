package dev.muster.spi;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a submitter asks to run. The payload is opaque to Muster (for a card game: decklists and
 * configuration); the job type names the {@link Validator} that checks results and the worker-side
 * handler that runs the job.
 *
 * <p>The payload array is copied on the way in and out, so a spec is immutable.
 *
 * @param type           job type, e.g. {@code "card-game"}
 * @param payload        opaque job input
 * @param mediaType      media type of the payload, e.g. {@code "application/json"}
 * @param seed           seed for the job's randomness; part of what result signatures bind
 * @param priority       higher runs first; FIFO (with fairness across submitters) within a priority
 * @param requirements   what a worker needs to run it
 * @param timeout        lease length: how long a worker has before the replica goes back to the queue
 * @param maxAttempts    leases that may end without a valid result before the job fails
 * @param submitter      who submitted it; fairness and idempotency keys are per submitter
 * @param idempotencyKey optional; a resubmission with the same key returns the existing job
 * @param traceparent    optional W3C trace context ({@link Traceparent}) of the submitter's trace;
 *                       it travels with the job to workers and listeners, and is not part of the
 *                       job's content digest
 */
public record JobSpec(
        String type,
        byte[] payload,
        String mediaType,
        long seed,
        int priority,
        Requirements requirements,
        Duration timeout,
        int maxAttempts,
        String submitter,
        String idempotencyKey,
        String traceparent) {

    /** Lease length when none is given. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    /** Attempts when none are given. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;

    /**
     * Checks the spec against {@link Limits} and copies the payload.
     *
     * @param type           job type, at most {@link Limits#JOB_TYPE} characters
     * @param payload        opaque job input; not null, copied
     * @param mediaType      media type of the payload, at most {@link Limits#MEDIA_TYPE} characters
     * @param seed           seed for the job's randomness
     * @param priority       from -1,000,000 to 1,000,000
     * @param requirements   what a worker needs to run it; not null
     * @param timeout        lease length, from 1 second to 7 days
     * @param maxAttempts    from 1 to 100
     * @param submitter      who submitted it, at most {@link Limits#SUBMITTER} characters
     * @param idempotencyKey null, or at most {@link Limits#IDEMPOTENCY_KEY} characters
     * @param traceparent    null, or a valid W3C {@code traceparent} value
     * @throws InvalidRequestException if a field is missing or out of range
     */
    public JobSpec {
        Limits.JOB_TYPE.text(type);
        payload = Checks.notNull(payload, "payload").clone();
        Limits.MEDIA_TYPE.text(mediaType);
        Checks.range(priority, "priority", -1_000_000, 1_000_000);
        Checks.notNull(requirements, "requirements");
        Checks.notNull(timeout, "timeout");
        if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(Duration.ofDays(7)) > 0) {
            throw new InvalidRequestException("timeout is " + timeout + "; it must be between 1 second and 7 days");
        }
        Checks.range(maxAttempts, "maxAttempts", 1, 100);
        Limits.SUBMITTER.text(submitter);
        if (idempotencyKey != null) {
            Limits.IDEMPOTENCY_KEY.text(idempotencyKey);
        }
        Traceparent.check(traceparent);
    }

    /**
     * Returns a fresh copy of the payload.
     *
     * @return a fresh copy of the payload
     */
    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /**
     * Returns the payload length without copying it.
     *
     * @return the payload length without copying it
     */
    public int payloadSize() {
        return payload.length;
    }

    /**
     * Returns SHA-256 of the payload, hex.
     *
     * @return SHA-256 of the payload, hex
     */
    public String payloadDigest() {
        return Digests.sha256Hex(payload);
    }

    /**
     * Digest of the job's content: everything that changes what a worker computes or how the
     * job is scheduled, but not who submitted it or under which key. Two submissions with the
     * same content digest are the same work.
     *
     * @return SHA-256 of the content's canonical encoding, 64 lower-case hex characters
     */
    public String contentDigest() {
        return contentDigest(payloadDigest());
    }

    /**
     * Same as {@link #contentDigest()} for a caller that already holds {@link #payloadDigest()},
     * which saves hashing the payload twice.
     *
     * @param payloadDigest this spec's payload digest
     * @return the same digest as {@link #contentDigest()}
     * @throws InvalidRequestException if {@code payloadDigest} is not 64 characters long
     */
    public String contentDigest(String payloadDigest) {
        Checks.notNull(payloadDigest, "payloadDigest");
        if (payloadDigest.length() != 64) {
            throw new InvalidRequestException("payloadDigest must be 64 hex characters, was " + payloadDigest.length());
        }
        SignedBytes.Writer w = new SignedBytes.Writer(256);
        w.text("muster/job/v1").text(type).text(mediaType).text(payloadDigest).i64(seed).i32(priority)
                .i32(requirements.cores()).i64(requirements.memoryMb()).bool(requirements.gpu())
                .i32(requirements.labels().size());
        requirements.labels().stream().sorted().forEach(w::text);
        w.i64(timeout.toMillis()).i32(maxAttempts);
        return Digests.sha256Hex(w.toByteArray());
    }

    /**
     * Returns a builder for a spec of {@code type} with {@code payload} and defaults for the rest.
     *
     * @param type    job type
     * @param payload opaque job input; copied when the spec is built
     * @return a builder for a spec of {@code type} with {@code payload} and defaults for the rest
     */
    public static Builder builder(String type, byte[] payload) {
        return new Builder(type, payload);
    }

    /**
     * Returns a builder holding this spec's values.
     *
     * @return a builder holding this spec's values
     */
    public Builder toBuilder() {
        return new Builder(type, payload)
                .mediaType(mediaType).seed(seed).priority(priority).requirements(requirements)
                .timeout(timeout).maxAttempts(maxAttempts).submitter(submitter).idempotencyKey(idempotencyKey)
                .traceparent(traceparent);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JobSpec s
                && type.equals(s.type) && Arrays.equals(payload, s.payload) && mediaType.equals(s.mediaType)
                && seed == s.seed && priority == s.priority && requirements.equals(s.requirements)
                && timeout.equals(s.timeout) && maxAttempts == s.maxAttempts && submitter.equals(s.submitter)
                && Objects.equals(idempotencyKey, s.idempotencyKey) && Objects.equals(traceparent, s.traceparent);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, Arrays.hashCode(payload), seed, submitter, idempotencyKey);
    }

    @Override
    public String toString() {
        return "JobSpec[type=" + type + ", payload=" + payload.length + " bytes " + mediaType + ", seed=" + seed
                + ", priority=" + priority + ", submitter=" + submitter
                + (idempotencyKey == null ? "" : ", idempotencyKey=" + idempotencyKey) + "]";
    }

    /** Builds a {@link JobSpec}; fields not set take the documented defaults. */
    public static final class Builder {
        private final String type;
        private final byte[] payload;
        private String mediaType = "application/octet-stream";
        private long seed;
        private int priority;
        private Requirements requirements = Requirements.NONE;
        private Duration timeout = DEFAULT_TIMEOUT;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private String submitter = "anonymous";
        private String idempotencyKey;
        private String traceparent;

        private Builder(String type, byte[] payload) {
            this.type = type;
            this.payload = payload;
        }

        /**
         * Returns this builder.
         *
         * @param mediaType media type of the payload; default {@code application/octet-stream}
         * @return this builder
         */
        public Builder mediaType(String mediaType) { this.mediaType = mediaType; return this; }
        /**
         * Returns this builder.
         *
         * @param seed seed for the job; default 0
         * @return this builder
         */
        public Builder seed(long seed) { this.seed = seed; return this; }
        /**
         * Returns this builder.
         *
         * @param priority higher runs first; default 0
         * @return this builder
         */
        public Builder priority(int priority) { this.priority = priority; return this; }
        /**
         * Returns this builder.
         *
         * @param requirements what a worker needs; default none
         * @return this builder
         */
        public Builder requirements(Requirements requirements) { this.requirements = requirements; return this; }
        /**
         * Returns this builder.
         *
         * @param timeout lease length; default 10 minutes
         * @return this builder
         */
        public Builder timeout(Duration timeout) { this.timeout = timeout; return this; }
        /**
         * Returns this builder.
         *
         * @param maxAttempts attempts before the job fails; default 3
         * @return this builder
         */
        public Builder maxAttempts(int maxAttempts) { this.maxAttempts = maxAttempts; return this; }
        /**
         * Returns this builder.
         *
         * @param submitter who submits; default {@code anonymous}
         * @return this builder
         */
        public Builder submitter(String submitter) { this.submitter = submitter; return this; }
        /**
         * Returns this builder.
         *
         * @param idempotencyKey optional key that makes resubmission return the existing job
         * @return this builder
         */
        public Builder idempotencyKey(String idempotencyKey) { this.idempotencyKey = idempotencyKey; return this; }
        /**
         * Returns this builder.
         *
         * @param traceparent optional W3C trace context of the submitter's trace ({@link Traceparent})
         * @return this builder
         */
        public Builder traceparent(String traceparent) { this.traceparent = traceparent; return this; }

        /**
         * Builds the spec, checking every field as the constructor does.
         *
         * @return the spec
         * @throws InvalidRequestException if a field is missing or out of range
         */
        public JobSpec build() {
            return new JobSpec(type, payload, mediaType, seed, priority, requirements, timeout, maxAttempts,
                    submitter, idempotencyKey, traceparent);
        }
    }
}
