package com.example.wordcount;

import dev.muster.spi.Job;
import dev.muster.spi.JobSpec;
import dev.muster.spi.ResultReport;
import dev.muster.spi.Validator;
import dev.muster.spi.Verdict;
import java.nio.charset.StandardCharsets;

/** Checks word-count results on the coordinator; a payload with no words is refused when it is submitted. */
public final class WordCountValidator implements Validator {
    @Override
    public String jobType() {
        return WordCount.TYPE;
    }

    @Override
    public String checkPayload(JobSpec spec) {
        return WordCount.count(spec.payload()) == 0 ? "a text with no words has nothing to count" : null;
    }

    @Override
    public Verdict validate(Job job, ResultReport result) {
        String claimed = new String(result.result(), StandardCharsets.UTF_8);
        return claimed.equals(Long.toString(WordCount.count(job.spec().payload()))) ? Verdict.ok()
                : Verdict.invalid("wrong count: " + claimed);
    }
}
