package dev.muster.core;

import dev.muster.spi.CoordinatorEvent;
import dev.muster.spi.CreditEntry;
import dev.muster.spi.Job;
import dev.muster.spi.JobState;
import dev.muster.spi.Rejection;
import dev.muster.spi.RejectionReason;
import dev.muster.spi.ReportOutcome;
import dev.muster.spi.WorkerId;
import dev.muster.spi.policy.StoredResult;
import dev.muster.spi.store.Released;
import dev.muster.spi.store.ResultOutcome;
import dev.muster.spi.store.Retraction;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what the store changed into what the outside hears of it: events for listeners, rows in
 * the rejection log, and a wake-up for long polls when work went back to the queue. Every path
 * that ends a job (a report, a returned lease, a cancel, a ban) goes through here, so an event is
 * published once, by one rule.
 */
final class Events {
    private static final Logger LOG = LoggerFactory.getLogger(Events.class);

    private final Listeners listeners;
    private final RejectionLog rejectionLog;
    private final Runnable workArrived;

    /** @param workArrived told when leases return to the queue, to let waiting workers try again */
    Events(Listeners listeners, RejectionLog rejectionLog, Runnable workArrived) {
        this.listeners = listeners;
        this.rejectionLog = rejectionLog;
        this.workArrived = workArrived;
    }

    /** Work was queued or requeued: waiting workers may try again. */
    void workArrived() {
        workArrived.run();
    }

    /** Leases went back to the queue; jobs that ran out of attempts on the way failed. */
    void released(List<Released> released, Instant now) {
        if (!released.isEmpty()) {
            workArrived();
        }
        for (Released r : released) {
            if (r.job().state() == JobState.FAILED) {
                LOG.info("job {} failed: {}", r.job().id(), r.job().failureReason());
                if (!listeners.isEmpty() && !SpotChecks.isSpotCheck(r.job())) {
                    listeners.publish(new CoordinatorEvent.JobFailed(r.job(), now));
                }
            }
        }
    }

    /**
     * One stored result: its rejection and the replicas it outvoted go to the log, and a job it
     * finished is announced.
     *
     * @return what the reporting worker is told of it
     */
    ReportOutcome reported(WorkerId worker, ResultOutcome o, Instant now) {
        if (o.reason() != null) {
            // Admins see which digest won; the worker is not told (ResultOutcome.outvoted).
            String detail = o.reason() == RejectionReason.OUTVOTED && o.job() != null
                    ? o.detail() + ": the accepted " + o.job().acceptedDigest() : o.detail();
            rejectionLog.record(new Rejection(now, worker, o.jobId(), o.replica(), o.reason(), detail));
        }
        for (StoredResult s : o.outvoted()) {
            rejectionLog.record(new Rejection(now, s.worker(), s.jobId(), s.replica(), RejectionReason.OUTVOTED,
                    "result " + s.resultDigest() + " disagrees with the accepted " + o.job().acceptedDigest()));
        }
        if (o.finishedNow() && !listeners.isEmpty() && !SpotChecks.isSpotCheck(o.job())) {
            Job job = o.job();
            if (job.state() == JobState.ACCEPTED) {
                listeners.publish(new CoordinatorEvent.JobAccepted(job, o.acceptedResult(), o.credits(), now));
            } else if (job.state() == JobState.FAILED) {
                listeners.publish(new CoordinatorEvent.JobFailed(job, now));
            }
        }
        double credit = o.credits() == null ? 0 : o.credits().stream().filter(c -> c.replica() == o.replica())
                .mapToDouble(CreditEntry::amount).sum();
        return new ReportOutcome(o.jobId(), o.replica(), o.status(), o.reason(), o.detail(), credit);
    }

    /** A cancel call returned; only a job it moved from open to cancelled is announced. */
    void cancelled(Job before, Job after, Instant now) {
        if (!before.state().isFinal() && after.state() == JobState.CANCELLED && !listeners.isEmpty()) {
            listeners.publish(new CoordinatorEvent.JobCancelled(after, now));
        }
    }

    /**
     * An acceptance was taken back. The job is announced as retracted, then as what it became:
     * accepted anew or failed; a job open again means work for waiting workers.
     *
     * @param accepted the accepted result bytes and credit of a job accepted anew, looked up only then
     */
    void retracted(Retraction r, Function<Job, CoordinatorEvent.JobAccepted> accepted, Instant now) {
        Job job = r.job();
        LOG.warn("job {} retracted (digest {} no longer accepted): {}; now {}", job.id(), r.retractedDigest(),
                r.reason(), job.state());
        if (job.state() == JobState.RUNNING || job.state() == JobState.QUEUED) {
            workArrived();
        }
        if (listeners.isEmpty() || SpotChecks.isSpotCheck(job)) {
            return;
        }
        listeners.publish(new CoordinatorEvent.JobRetracted(job, r.retractedDigest(), r.reason(), now));
        if (job.state() == JobState.ACCEPTED) {
            listeners.publish(accepted.apply(job));
        } else if (job.state() == JobState.FAILED) {
            listeners.publish(new CoordinatorEvent.JobFailed(job, now));
        }
    }

    void banned(WorkerId worker, String reason, Instant now) {
        if (!listeners.isEmpty()) {
            listeners.publish(new CoordinatorEvent.WorkerBanned(worker, reason, now));
        }
    }
}
