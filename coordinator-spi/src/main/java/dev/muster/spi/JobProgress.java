package dev.muster.spi;

/**
 * How far a job's replicas have got, for its submitter to follow: how many it wants now, how
 * many answered with a valid result, how many of those agree (the largest group with one digest),
 * and how many are still to come (leased, or waiting for a worker). It tells nothing of what the
 * results are.
 *
 * @param wanted      replicas the job wants now (a trust policy may add some)
 * @param reported    valid results in
 * @param agreeing    the most valid results that share one digest
 * @param outstanding replicas not yet answered with a valid result
 */
public record JobProgress(int wanted, int reported, int agreeing, int outstanding) {
    /**
     * Checks the counts.
     *
     * @param wanted      replicas wanted now, not negative
     * @param reported    valid results in, not negative
     * @param agreeing    from 0 to {@code reported}
     * @param outstanding replicas still to answer, not negative
     * @throws InvalidRequestException if a count is negative or they contradict one another
     */
    public JobProgress {
        Checks.range(wanted, "wanted", 0, Integer.MAX_VALUE);
        Checks.range(reported, "reported", 0, Integer.MAX_VALUE);
        Checks.range(agreeing, "agreeing", 0, reported);
        Checks.range(outstanding, "outstanding", 0, Integer.MAX_VALUE);
    }
}
