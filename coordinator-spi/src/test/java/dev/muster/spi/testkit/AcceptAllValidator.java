package dev.muster.spi.testkit;

import dev.muster.spi.Job;
import dev.muster.spi.ResultReport;
import dev.muster.spi.Validator;
import dev.muster.spi.Verdict;

/** Accepts every result of one job type: for tests about stores and dispatch, not validation. */
public final class AcceptAllValidator implements Validator {
    private final String jobType;

    /** @param jobType the job type it validates */
    public AcceptAllValidator(String jobType) {
        this.jobType = jobType;
    }

    @Override
    public String jobType() {
        return jobType;
    }

    @Override
    public Verdict validate(Job job, ResultReport result) {
        return Verdict.ok();
    }
}
