package dev.muster.spi.policy;

import dev.muster.spi.Checks;
import dev.muster.spi.InvalidRequestException;
import dev.muster.spi.Limits;

/** What a {@link TrustPolicy} decides about a job after a result arrives. */
public sealed interface Decision {
    /** Not decided yet: replicas are still out. */
    record Wait() implements Decision {}

    /**
     * Accept the result with this digest; every valid replica with it gets {@code credit}, and
     * valid replicas with another digest are rejected as outvoted.
     *
     * @param resultDigest the winning digest
     * @param credit       credit per agreeing replica
     */
    record Accept(String resultDigest, double credit) implements Decision {
        /**
         * Checks the decision.
         *
         * @param resultDigest the winning digest; not null
         * @param credit       credit per agreeing replica, finite and not negative
         * @throws InvalidRequestException if the digest is null or the credit negative
         */
        public Accept {
            Checks.notNull(resultDigest, "resultDigest");
            if (!(credit >= 0) || Double.isInfinite(credit)) {
                throw new InvalidRequestException("credit must be finite and non-negative, was " + credit);
            }
        }
    }

    /**
     * Replicas disagree (or too few are valid): queue {@code count} more.
     *
     * @param count  replicas to add, at least 1
     * @param reason why, for logs
     */
    record AddReplicas(int count, String reason) implements Decision {
        /**
         * Checks the decision.
         *
         * @param count  replicas to add, from 1 to 1,000
         * @param reason why; not null
         * @throws InvalidRequestException if the count is not positive
         */
        public AddReplicas {
            Checks.range(count, "count", 1, 1_000);
            Checks.notNull(reason, "reason");
        }
    }

    /**
     * Give up on the job.
     *
     * @param reason why, kept on the job; a longer reason than {@link Limits#FAILURE_REASON} is truncated
     */
    record Fail(String reason) implements Decision {
        /**
         * Checks the decision and truncates the reason to {@link Limits#FAILURE_REASON}.
         *
         * @param reason why; not null
         * @throws InvalidRequestException if the reason is null
         */
        public Fail {
            reason = Limits.FAILURE_REASON.fit(Checks.notNull(reason, "reason"));
        }
    }
}
