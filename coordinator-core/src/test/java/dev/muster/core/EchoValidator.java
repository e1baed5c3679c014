package dev.muster.core;

import dev.muster.spi.Job;
import dev.muster.spi.ResultReport;
import dev.muster.spi.Validator;
import dev.muster.spi.Verdict;

/** Test job type {@code echo}: a result is valid when it is not empty and its {@code turns} metadata is 1 to 500. */
public final class EchoValidator implements Validator {
    @Override
    public String jobType() {
        return "echo";
    }

    @Override
    public Verdict validate(Job job, ResultReport result) {
        if (result.resultSize() == 0) {
            return Verdict.invalid("empty result");
        }
        String turns = result.metadata().getOrDefault("turns", "1");
        int n;
        try {
            n = Integer.parseInt(turns);
        } catch (NumberFormatException e) {
            return Verdict.invalid("turns is not a number: " + turns);
        }
        return n >= 1 && n <= 500 ? Verdict.ok() : Verdict.invalid("turn count " + n + " outside [1, 500]");
    }
}
