package dev.muster.transport.http;

import dev.muster.spi.Job;
import dev.muster.spi.ResultReport;
import dev.muster.spi.Validator;
import dev.muster.spi.Verdict;

/** Job type {@code echo}: any non-empty result is valid. */
final class TestValidator implements Validator {
    @Override
    public String jobType() {
        return "echo";
    }

    @Override
    public Verdict validate(Job job, ResultReport result) {
        return result.resultSize() > 0 ? Verdict.ok() : Verdict.invalid("empty result");
    }
}
