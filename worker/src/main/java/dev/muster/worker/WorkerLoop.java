package dev.muster.worker;

import dev.muster.spi.JobHandler;
import dev.muster.spi.MusterException;
import dev.muster.spi.ReleaseReason;
import dev.muster.spi.ReportOutcome;
import dev.muster.spi.ReportStatus;
import dev.muster.spi.ResultReport;
import dev.muster.spi.Ticket;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Runs a registered {@link WorkerClient}: lease a batch, run each ticket through the
 * {@link JobHandler}, report the results in one signed batch, heartbeat while idle. A ticket whose
 * handler throws is reported as failed at once ({@link ReleaseReason#FAILED}, with the exception's
 * message as the reason): the lease ends, an attempt is counted, and the job runs elsewhere
 * without waiting for the lease deadline.
 *
 * <p>On errors it backs off with full jitter ({@link Backoff}; a {@code Retry-After} on 429 or 503
 * is a floor) up to a cap. When the coordinator no longer knows the worker (401, after a restart
 * on the memory store, say) it registers again with what it registered with, and goes on. On
 * {@link #stop()}, even from a back-off pause, it finishes the ticket it is running, gives back the
 * ones it has not started ({@link ReleaseReason#NOT_RUN}), reports, asks the coordinator for no
 * new work, and returns; if the coordinator is busy meanwhile (429, 503) it retries three times
 * within a few seconds, and if it cannot be reached it returns without waiting for it.
 *
 * <p>Results whose report failed (the coordinator down, restarting, overloaded or unreachable)
 * are kept and reported again, with the same back-off, before the loop leases more work; so after
 * a coordinator restart the jobs a worker ran are accepted within seconds instead of waiting for
 * their lease deadline. A report the coordinator refuses as such (409 when it no longer holds the
 * leases, 422, 400, 413) is final for its results.
 *
 * <p>Several loops may share one client, each on its own thread, to run several leases at once.
 */
public final class WorkerLoop implements Runnable {
    private static final System.Logger LOG = System.getLogger(WorkerLoop.class.getName());
    /** Calls a stopping loop retries (a 429 or 503 while many loops stop at once) before it gives up. */
    private static final int STOP_RETRIES = 3;
    /** The longest pause between those retries. */
    private static final long STOP_PAUSE_MILLIS = 1_500;

    private final WorkerClient client;
    private final JobHandler handler;
    private final int batch;
    private final Duration idleWait;
    private final Backoff backoff;
    /** Pauses after batches of other job types only, growing while they keep coming. */
    private final Backoff strangers;
    private final AtomicLong reported = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong registeredAgain = new AtomicLong();
    private final TicketsToRelease toRelease = new TicketsToRelease();
    private final PendingResults pending = new PendingResults();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private volatile boolean stopWhenIdle;
    private volatile Consumer<BatchSummary> onBatch = s -> { };

    /**
     * What one batch came to, for a line of progress.
     *
     * @param run      tickets run to a result
     * @param failed   tickets whose handler failed, reported as failed
     * @param accepted results the coordinator accepted (their jobs are decided)
     * @param taken    results the coordinator took and holds until other workers agree
     * @param rejected results the coordinator rejected
     * @param credit   credit the batch earned when it was reported (results still awaiting agreement
     *                 earn theirs later)
     */
    public record BatchSummary(int run, int failed, long accepted, long taken, long rejected, double credit) {
        @Override
        public String toString() {
            return run + " jobs run, " + failed + " failed; " + accepted + " accepted, " + taken
                    + " awaiting agreement, " + rejected + " rejected; credit " + String.format(java.util.Locale.ROOT,
                    "%.1f", credit);
        }
    }

    /**
     * @param client     a registered client
     * @param handler    what runs the jobs
     * @param batch      tickets per lease
     * @param idleWait   how long one lease waits for work (a long poll) while there is none
     * @param maxBackoff the ceiling of the pause after repeated errors, at least 250 ms
     */
    public WorkerLoop(WorkerClient client, JobHandler handler, int batch, Duration idleWait, Duration maxBackoff) {
        this(client, handler, batch, idleWait, maxBackoff, RandomGenerator.of("L64X128MixRandom"));
    }

    /**
     * As the other constructor, with the randomness of the back-off given, for tests that want it
     * repeatable.
     *
     * @param random where the back-off's jitter comes from
     */
    public WorkerLoop(WorkerClient client, JobHandler handler, int batch, Duration idleWait, Duration maxBackoff,
                      RandomGenerator random) {
        this.client = client;
        this.handler = handler;
        this.batch = batch;
        this.idleWait = idleWait;
        this.backoff = new Backoff(maxBackoff.toMillis(), random);
        this.strangers = new Backoff(maxBackoff.toMillis(), random);
    }

    /** Asks the loop to drain and return; a loop pausing after an error stops pausing. */
    public void stop() {
        stopRequested.countDown();
    }

    /** Makes the loop return the first time the queue has nothing for it (for batch runs and tests). */
    public WorkerLoop stopWhenIdle() {
        stopWhenIdle = true;
        return this;
    }

    /**
     * Has the loop tell {@code listener} what each batch came to, for instance to print a line of
     * progress; called on the loop's thread after the batch is reported.
     *
     * @return this loop
     */
    public WorkerLoop onBatch(Consumer<BatchSummary> listener) {
        this.onBatch = java.util.Objects.requireNonNull(listener, "listener");
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

    /** @return how often the worker registered again because the coordinator no longer knew it */
    public long registeredAgain() {
        return registeredAgain.get();
    }

    private boolean stopping() {
        return stopRequested.getCount() == 0;
    }

    @Override
    public void run() {
        // Registering again is tried once per run of failures: a 401 that registering does not
        // cure (a clock far off, a session from another coordinator) backs off like any other.
        boolean registeredInThisRun = false;
        int failuresWhileStopping = 0;
        while (true) {
            try {
                if (step()) {
                    return;
                }
                backoff.reset();
                registeredInThisRun = false;
            } catch (HttpProblemException e) {
                failures.incrementAndGet();
                // A registration that failed (the coordinator busy or away) is tried again after the pause.
                if (e.status() == 401 && e.type().endsWith("/unknown-worker") && !registeredInThisRun && !stopping()
                        && registerAgain(e)) {
                    registeredInThisRun = true;
                    continue;
                }
                // A busy coordinator (many loops stopping at once) gets a few short retries; a stop
                // does not wait long for anything.
                if (stopping() && (e.status() == 429 || e.status() == 503) && ++failuresWhileStopping <= STOP_RETRIES
                        && sleep(Math.min(STOP_PAUSE_MILLIS, backoff.next(e.retryAfter())))) {
                    continue;
                }
                if (stoppedWhileFailing(e) || !pause(backoff.next(e.retryAfter()), e)) {
                    return;
                }
            } catch (MusterException e) {
                failures.incrementAndGet();
                if (stoppedWhileFailing(e) || !pause(backoff.next(null), e)) {
                    return;
                }
            }
        }
    }

    /** One round: deliver, lease, run, report. @return true when the loop is done */
    private boolean step() {
        reported.addAndGet(pending.deliver(client));
        if (stopping()) {
            toRelease.send(client);
            client.drain();
            return true;
        }
        List<Ticket> tickets = stopWhenIdle ? client.lease(batch) : client.lease(batch, idleWait);
        if (tickets.isEmpty()) {
            if (stopWhenIdle) {
                return true;
            }
            // The long poll already waited; a heartbeat keeps the worker from looking silent.
            client.heartbeat();
            return false;
        }
        List<ResultReport> results = new ArrayList<>(tickets.size());
        int failed = 0;
        int unknown = 0;
        String strangerTypes = null;
        for (Ticket t : tickets) {
            if (stopping()) {
                toRelease.add(t, ReleaseReason.NOT_RUN, null);
                continue;
            }
            try {
                results.add(handler.run(t));
            } catch (JobHandlers.NoHandler e) {
                // Not this worker's job type: given back unrun, at no cost to the job.
                unknown++;
                strangerTypes = e.getMessage();
                toRelease.add(t, ReleaseReason.NOT_RUN, null);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                // A job-type jar missing a dependency fails with a LinkageError: the job, not the loop.
                failed++;
                String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                LOG.log(Level.WARNING, "worker " + client.id() + ": job " + t.jobId() + " failed: " + why
                        + "; reported as failed", e);
                toRelease.add(t, ReleaseReason.FAILED, why);
            }
        }
        // Kept before anything else is sent, so a failing call cannot lose finished work.
        pending.add(results);
        toRelease.send(client);
        List<ReportOutcome> outcomes = new ArrayList<>();
        reported.addAndGet(pending.deliver(client, outcomes::add));
        if (unknown > 0) {
            // Leasing does not filter by type yet: pause, so the same jobs are not leased back at once.
            LOG.log(Level.WARNING, "worker " + client.id() + ": gave back " + unknown + " jobs unrun (" + strangerTypes
                    + ")");
            if (!pause(strangers.next(null), null)) {
                return true;
            }
        } else {
            strangers.reset();
        }
        onBatch.accept(new BatchSummary(results.size(), failed,
                outcomes.stream().filter(o -> o.status() == ReportStatus.ACCEPTED).count(),
                outcomes.stream().filter(o -> o.status() == ReportStatus.RECORDED).count(),
                outcomes.stream().filter(o -> !o.isSuccess()).count(),
                outcomes.stream().mapToDouble(ReportOutcome::credit).sum()));
        return false;
    }

    /**
     * A loop asked to stop does not wait for a coordinator that cannot be reached: what it could
     * not deliver is lost to this worker, and its leases run out at their deadlines.
     *
     * @return whether the loop is stopping
     */
    private boolean stoppedWhileFailing(MusterException e) {
        if (!stopping()) {
            return false;
        }
        LOG.log(Level.WARNING, "worker " + client.id() + ": stopping while the coordinator fails (" + e.getMessage()
                + "); " + pending.size() + " results not delivered");
        return true;
    }

    /** The coordinator no longer knows this worker: register again. @return whether it did */
    private boolean registerAgain(HttpProblemException e) {
        try {
            if (client.registerAgain()) {
                registeredAgain.incrementAndGet();
                LOG.log(Level.INFO, "worker " + client.id() + ": the coordinator no longer knew it (" + e.getMessage()
                        + "); registered again");
                return true;
            }
        } catch (MusterException again) {
            LOG.log(Level.WARNING, "worker " + client.id() + ": could not register again: " + again.getMessage());
        }
        return false;
    }

    /** Waits while stopping, when the stop signal no longer can: a retry honours its pause. @return false if interrupted */
    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits after an error (logged, if there is one), or until {@link #stop()}. @return false if interrupted */
    private boolean pause(long millis, MusterException cause) {
        if (cause != null) {
            LOG.log(Level.WARNING, "worker " + client.id() + ": call failed (" + cause.getMessage() + "); retrying in "
                    + millis + " ms");
        }
        try {
            stopRequested.await(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
