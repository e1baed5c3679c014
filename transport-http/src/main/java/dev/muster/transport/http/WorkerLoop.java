package dev.muster.transport.http;

import dev.muster.spi.JobHandler;
import dev.muster.spi.MusterException;
import dev.muster.spi.ReleaseReason;
import dev.muster.spi.ResultReport;
import dev.muster.spi.Ticket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs a registered {@link WorkerClient}: lease a batch, run each ticket through the
 * {@link JobHandler}, report the results in one signed batch, heartbeat while idle. A ticket whose
 * handler throws is given back at once ({@link ReleaseReason#FAILED}), so its job runs elsewhere
 * without waiting for the lease deadline. On errors it backs off exponentially (honouring
 * {@code Retry-After} on 429) up to a cap; on {@link #stop()} it finishes the ticket it is running,
 * gives back the ones it has not started ({@link ReleaseReason#NOT_RUN}), reports, asks the
 * coordinator for no new work, and returns.
 *
 * <p>Results whose report failed (the coordinator down, restarting, overloaded or unreachable)
 * are kept and reported again, with the same backoff, before the loop leases more work; so after
 * a coordinator restart the jobs a worker ran are accepted within seconds instead of waiting for
 * their lease deadline. A report the coordinator refuses as such (409 when it no longer holds the
 * leases, 422, 400, 413) is final for its results.
 */
public final class WorkerLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerLoop.class);

    private final WorkerClient client;
    private final JobHandler handler;
    private final int batch;
    private final Duration idleWait;
    private final Duration maxBackoff;
    private final AtomicLong reported = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final TicketsToRelease toRelease = new TicketsToRelease();
    private final PendingResults pending = new PendingResults();
    private volatile boolean stopping;
    private volatile boolean stopWhenIdle;

    /**
     * @param client     a registered client
     * @param handler    what runs the jobs
     * @param batch      tickets per lease
     * @param idleWait   how long one lease waits for work (a long poll) while there is none
     * @param maxBackoff longest pause after repeated errors
     */
    public WorkerLoop(WorkerClient client, JobHandler handler, int batch, Duration idleWait, Duration maxBackoff) {
        this.client = client;
        this.handler = handler;
        this.batch = batch;
        this.idleWait = idleWait;
        this.maxBackoff = maxBackoff;
    }

    /** Asks the loop to drain and return. */
    public void stop() {
        stopping = true;
    }

    /** Makes the loop return the first time the queue has nothing for it (for batch runs and tests). */
    public WorkerLoop stopWhenIdle() {
        stopWhenIdle = true;
        return this;
    }

    /** @return results reported so far */
    public long reported() {
        return reported.get();
    }

    /** @return results run but not yet delivered, waiting to be reported again */
    public int undelivered() {
        return pending.size();
    }

    /** @return calls that failed and were retried */
    public long failures() {
        return failures.get();
    }

    @Override
    public void run() {
        // Whatever the loop logs names the worker, for a process that runs several.
        MDC.put("worker", client.id().value());
        try {
            loop();
        } finally {
            MDC.remove("worker");
        }
    }

    private void loop() {
        long backoff = 0;
        while (true) {
            try {
                reported.addAndGet(pending.deliver(client));
                if (stopping) {
                    toRelease.send(client);
                    client.drain();
                    return;
                }
                List<Ticket> tickets = stopWhenIdle ? client.lease(batch) : client.lease(batch, idleWait);
                if (tickets.isEmpty()) {
                    if (stopWhenIdle) {
                        return;
                    }
                    // The long poll already waited; a heartbeat keeps the worker from looking silent.
                    client.heartbeat();
                    continue;
                }
                List<ResultReport> results = new ArrayList<>(tickets.size());
                for (Ticket t : tickets) {
                    if (stopping) {
                        toRelease.add(t, ReleaseReason.NOT_RUN);
                        continue;
                    }
                    try {
                        results.add(handler.run(t));
                    } catch (RuntimeException e) {
                        LOG.warn("job {} failed on this worker; it goes back to the queue to run elsewhere",
                                t.jobId(), e);
                        toRelease.add(t, ReleaseReason.FAILED);
                    }
                }
                // Kept before anything else is sent, so a failing call cannot lose finished work.
                pending.add(results);
                toRelease.send(client);
                reported.addAndGet(pending.deliver(client));
                backoff = 0;
            } catch (HttpProblemException e) {
                failures.incrementAndGet();
                backoff = nextBackoff(backoff, e.retryAfter());
                LOG.warn("coordinator refused a call ({}); retrying in {} ms", e.getMessage(), backoff);
                if (!pause(backoff)) {
                    return;
                }
            } catch (MusterException e) {
                failures.incrementAndGet();
                backoff = nextBackoff(backoff, null);
                LOG.warn("call failed ({}); retrying in {} ms", e.getMessage(), backoff);
                if (!pause(backoff)) {
                    return;
                }
            }
        }
    }

    private long nextBackoff(long previous, String retryAfter) {
        long next = previous == 0 ? 250 : Math.min(previous * 2, maxBackoff.toMillis());
        if (retryAfter != null) {
            try {
                next = Math.max(next, Long.parseLong(retryAfter.trim()) * 1000);
            } catch (NumberFormatException e) {
                // an HTTP-date Retry-After; the exponential pause stands
            }
        }
        return Math.min(next, maxBackoff.toMillis());
    }

    /** Waits between polls or after an error. @return false if interrupted */
    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
