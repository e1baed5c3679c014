package com.example.wordcount;

import dev.muster.spi.JobHandler;
import dev.muster.spi.ResultReport;
import dev.muster.spi.Ticket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Runs word-count jobs on a worker: the result is the number of words, in decimal. */
public final class WordCountHandler implements JobHandler {
    @Override
    public String jobType() {
        return WordCount.TYPE;
    }

    @Override
    public ResultReport run(Ticket ticket) {
        long words = WordCount.count(ticket.spec().payload());
        return ResultReport.of(ticket.jobId(), ticket.replica(), ticket.seed(),
                Long.toString(words).getBytes(StandardCharsets.UTF_8), Map.of("words", Long.toString(words)));
    }
}
