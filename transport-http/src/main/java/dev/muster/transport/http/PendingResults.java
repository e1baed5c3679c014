package dev.muster.transport.http;

import dev.muster.spi.ReportOutcome;
import dev.muster.spi.ResultReport;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Results a worker ran but has not delivered yet, oldest batch first. A report that fails because
 * the coordinator is down, overloaded or unreachable keeps its batch here to be reported again;
 * reports are idempotent, so a batch the coordinator did take before the failure comes back as
 * {@code DUPLICATE} successes. An answer that refuses the report itself (400, 409, 413, 422: the
 * coordinator read it and will never take it, e.g. because it no longer holds the lease) is final,
 * so such results cannot hold the worker up forever.
 *
 * <p>Used by one loop thread; {@link #size()} may be read from any thread.
 */
final class PendingResults {
    private static final Logger LOG = LoggerFactory.getLogger(PendingResults.class);

    private final Deque<List<ResultReport>> batches = new ArrayDeque<>();
    private final AtomicInteger size = new AtomicInteger();

    /** Holds a batch until it is delivered or finally refused. */
    void add(List<ResultReport> batch) {
        if (batch.isEmpty()) {
            return;
        }
        batches.addLast(List.copyOf(batch));
        size.addAndGet(batch.size());
    }

    /** @return results held */
    int size() {
        return size.get();
    }

    /**
     * Reports every held batch, oldest first, and forgets each one the coordinator answered.
     *
     * @return results the coordinator answered with an outcome (success or per-result rejection)
     * @throws dev.muster.spi.MusterException if a report failed in a way worth retrying; that batch
     *         and the ones after it stay held
     */
    long deliver(WorkerClient client) {
        long answered = 0;
        while (!batches.isEmpty()) {
            List<ResultReport> batch = batches.peekFirst();
            try {
                for (ReportOutcome o : client.report(batch)) {
                    if (!o.isSuccess()) {
                        LOG.info("result for job {} rejected: {} ({})", o.jobId(), o.reason(), o.detail());
                    }
                }
                answered += batch.size();
            } catch (HttpProblemException e) {
                if (!isFinal(e.status())) {
                    throw e;
                }
                LOG.info("report of {} results refused, not sent again: {}", batch.size(), e.getMessage());
            }
            batches.removeFirst();
            size.addAndGet(-batch.size());
        }
        return answered;
    }

    private static boolean isFinal(int status) {
        return status == 400 || status == 409 || status == 413 || status == 422;
    }
}
