package dev.muster.spi;

/**
 * Checks results of one job type: structure, digest, plausible metadata (for a game: a winner,
 * a turn count within bounds). A validator sees one result at a time; agreement between replicas
 * is the trust policy's business.
 *
 * <p>Validators run on the report path and may be called concurrently: keep them fast,
 * thread-safe and free of I/O. A validator that throws is treated as an invalid verdict.
 */
public interface Validator extends Plugin {
    /**
     * Returns the job type this validator checks.
     *
     * @return the job type this validator checks
     */
    String jobType();

    /** The plug-in name is the job type. */
    @Override
    default String name() {
        return jobType();
    }

    /**
     * Returns whether the result is acceptable, and why not.
     *
     * @param job    the job, as submitted
     * @param result the result; its digest already matches its bytes and its seed the job's
     * @return whether the result is acceptable, and why not
     */
    Verdict validate(Job job, ResultReport result);

    /**
     * Checks a job's payload when it is submitted, so that a job no worker could run is refused
     * then (a 400 over HTTP) rather than failing on workers later. Called once per job, on the
     * submission path, after the size check: keep it fast. To refuse, return the reason (or throw
     * an {@link InvalidRequestException}); any other exception is logged as the validator's fault
     * and refuses the payload without showing the submitter its message. The default accepts every
     * payload.
     *
     * @param spec the job as submitted
     * @return null if the payload is fine, or why not (shown to the submitter)
     */
    default String checkPayload(JobSpec spec) {
        return null;
    }

    /**
     * Credit claimed for a valid result of {@code job}. The trust policy grants every agreeing
     * replica the same amount (the smallest claim among them).
     *
     * @param job    the job, as submitted
     * @param result the result, which its validator found valid
     * @return a finite, non-negative amount; 1 by default
     */
    default double credit(Job job, ResultReport result) {
        return 1.0;
    }
}
