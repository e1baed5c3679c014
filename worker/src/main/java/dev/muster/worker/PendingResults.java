package dev.muster.worker;

import dev.muster.spi.ReportOutcome;
import dev.muster.spi.ResultReport;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.lang.System.Logger.Level;

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
    private static final System.Logger LOG = System.getLogger(PendingResults.class.getName());

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
        return deliver(client, o -> { });
    }

    /**
     * As {@link #deliver(WorkerClient)}, telling {@code outcomes} of every outcome the coordinator answered.
     *
     * @return results the coordinator answered with an outcome
     */
    long deliver(WorkerClient client, java.util.function.Consumer<ReportOutcome> outcomes) {
        long answered = 0;
        while (!batches.isEmpty()) {
            List<ResultReport> batch = batches.peekFirst();
            try {
                for (ReportOutcome o : client.report(batch)) {
                    outcomes.accept(o);
                    if (!o.isSuccess()) {
                        LOG.log(Level.INFO, "result for job {0} rejected: {1} ({2})", o.jobId(), o.reason(), o.detail());
                    }
                }
                answered += batch.size();
            } catch (HttpProblemException e) {
                if (!isFinal(e.status())) {
                    throw e;
                }
                LOG.log(Level.INFO, "report of {0} results refused, not sent again: {1}", batch.size(), e.getMessage());
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
