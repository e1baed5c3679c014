package dev.muster.benchmarks;

import dev.muster.spi.Job;
import dev.muster.spi.ResultReport;
import dev.muster.spi.Validator;
import dev.muster.spi.Verdict;

/** Job type {@code bench}: accepts every result, so that the coordinator, not a job type, is measured. */
public final class AcceptAll implements Validator {
    @Override
    public String jobType() {
        return "bench";
    }

    @Override
    public Verdict validate(Job job, ResultReport result) {
        return Verdict.ok();
    }
}
