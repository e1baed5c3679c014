package dev.muster.spi;

/**
 * Which jobs to list: all filters are optional (null), results come in id order after the
 * {@code after} cursor, at most {@code limit} at a time. To page, pass the last id of one page as
 * the {@code after} of the next; a page shorter than the limit is the last, since stores never
 * stop early on a stretch of jobs that do not match.
 *
 * @param submitter only this submitter's jobs, or null
 * @param state     only jobs in this state, or null
 * @param type      only jobs of this type, or null
 * @param after     only jobs with a larger id, or 0 from the start
 * @param limit     most jobs to return, 1 to 1,000
 */
public record JobQuery(String submitter, JobState state, String type, long after, int limit) {
    /**
     * Checks the query.
     *
     * @param submitter null, or at most {@link Limits#SUBMITTER} characters
     * @param state     only jobs in this state, or null
     * @param type      null, or at most {@link Limits#JOB_TYPE} characters
     * @param after     the cursor, not negative; 0 from the start
     * @param limit     from 1 to 1,000
     * @throws InvalidRequestException if a filter is over its limit, the cursor negative or the limit out of range
     */
    public JobQuery {
        if (submitter != null) {
            Limits.SUBMITTER.text(submitter);
        }
        if (type != null) {
            Limits.JOB_TYPE.text(type);
        }
        Checks.range(after, "after", 0, Long.MAX_VALUE);
        Checks.range(limit, "limit", 1, 1_000);
    }

    /**
     * Returns whether {@code job} passes the filters (not the cursor).
     *
     * @param job the job to test
     * @return whether {@code job} passes the filters (not the cursor)
     */
    public boolean matches(Job job) {
        return (submitter == null || submitter.equals(job.spec().submitter()))
                && (state == null || state == job.state())
                && (type == null || type.equals(job.spec().type()));
    }
}
