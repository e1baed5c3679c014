package dev.muster.core;

import dev.muster.spi.Job;
import dev.muster.spi.RejectionReason;
import dev.muster.spi.ReportOutcome;
import dev.muster.spi.ReportStatus;
import dev.muster.spi.Rejection;
import dev.muster.spi.ResultReport;
import dev.muster.spi.TicketRef;
import dev.muster.spi.Validator;
import dev.muster.spi.Verdict;
import dev.muster.spi.WorkerId;
import dev.muster.spi.store.Lease;
import dev.muster.spi.store.JobLifecycle;
import dev.muster.spi.store.ResultRecord;
import dev.muster.spi.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks on a reported result that need no lock (size, seed, digest, then the job type's
 * validator), for one report of one worker. The store checks the lease itself, under its lock.
 *
 * <p>A worker learns nothing here about a job it does not hold: a report naming such a job (or no
 * job at all) is answered {@link RejectionReason#NOT_LEASED} with the same words whatever the job
 * is, its seed, its state or who holds it. A seed or digest mismatch is named only to the worker
 * that holds the lease; otherwise it would be an oracle that confirms guesses of another job's
 * seed. The worker's leases are read only when a mismatch needs them, so honest reports cost no
 * extra store call.
 */
final class ResultPrecheck {
    private static final Logger LOG = LoggerFactory.getLogger(ResultPrecheck.class);

    private final Store store;
    private final Map<String, Validator> validators;
    private final RejectionLog log;
    private final int maxResultBytes;
    private final WorkerId worker;
    private final Instant now;
    private final Instrumentation instrumentation;
    private final List<Rejection> logRows = new ArrayList<>();
    private Set<TicketRef> held;

    ResultPrecheck(Store store, Map<String, Validator> validators, RejectionLog log, int maxResultBytes,
                   WorkerId worker, Instant now, Instrumentation instrumentation) {
        this.instrumentation = instrumentation;
        this.store = store;
        this.validators = validators;
        this.log = log;
        this.maxResultBytes = maxResultBytes;
        this.worker = worker;
        this.now = now;
    }

    /** @return a rejection, or null after adding a record for the store */
    ReportOutcome check(ResultReport r, Job job, List<ResultRecord> records) {
        if (r.resultSize() > maxResultBytes) {
            return reject(r, RejectionReason.TOO_LARGE,
                    "result is " + r.resultSize() + " bytes; the limit is " + maxResultBytes);
        }
        String overLimit = r.overLimit();
        if (overLimit != null) {
            return reject(r, RejectionReason.TOO_LARGE, overLimit);
        }
        if (job == null) {
            return reject(r, RejectionReason.NOT_LEASED, JobLifecycle.notHeld(worker, r));
        }
        if (r.seed() != job.spec().seed()) {
            return holds(r) ? reject(r, RejectionReason.SEED_MISMATCH,
                    "reported seed " + r.seed() + " is not the seed of the ticket")
                    : reject(r, RejectionReason.NOT_LEASED, JobLifecycle.notHeld(worker, r));
        }
        if (!r.digestMatches()) {
            return holds(r) ? reject(r, RejectionReason.DIGEST_MISMATCH,
                    "result digest " + r.resultDigest() + " does not match the result bytes")
                    : reject(r, RejectionReason.NOT_LEASED, JobLifecycle.notHeld(worker, r));
        }
        Validator validator = validators.get(job.spec().type());
        Verdict verdict;
        double credit = 0;
        long start = System.nanoTime();
        try {
            verdict = validator == null ? Verdict.invalid("no validator for job type '" + job.spec().type() + "'")
                    : validator.validate(job, r);
            if (verdict.valid()) {
                credit = validator.credit(job, r);
                if (!(credit >= 0) || Double.isInfinite(credit)) {
                    verdict = Verdict.invalid("validator claimed an invalid credit " + credit);
                    credit = 0;
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("validator for job type '{}' threw on job {}; the result counts as invalid", job.spec().type(),
                    job.id(), e);
            verdict = Verdict.invalid("the validator failed on this result");
        }
        instrumentation.validated(job.spec().type(), verdict.valid(), System.nanoTime() - start);
        records.add(new ResultRecord(r, verdict, credit));
        return null;
    }

    /** Whether the worker holds a live lease on the reported replica (its leases read once per report). */
    private boolean holds(ResultReport r) {
        if (held == null) {
            held = store.leases(worker).stream().filter(l -> !l.deadline().isBefore(now))
                    .map(ResultPrecheck::ref).collect(Collectors.toSet());
        }
        return held.contains(new TicketRef(r.jobId(), r.replica()));
    }

    private static TicketRef ref(Lease l) {
        return new TicketRef(l.jobId(), l.replica());
    }

    /** @return the rejection-log rows of the results refused so far, for the store call of the report */
    List<Rejection> logRows() {
        return logRows;
    }

    private ReportOutcome reject(ResultReport r, RejectionReason reason, String detail) {
        logRows.addAll(log.admit(new Rejection(now, worker, r.jobId(), r.replica(), reason, detail)));
        return new ReportOutcome(r.jobId(), r.replica(), ReportStatus.REJECTED, reason, detail);
    }
}
