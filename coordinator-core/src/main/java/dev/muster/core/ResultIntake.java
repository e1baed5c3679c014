package dev.muster.core;

import dev.muster.spi.BadSignatureException;
import dev.muster.spi.Checks;
import dev.muster.spi.Job;
import dev.muster.spi.JobId;
import dev.muster.spi.Rejection;
import dev.muster.spi.RejectionReason;
import dev.muster.spi.ReportOutcome;
import dev.muster.spi.ResultBatch;
import dev.muster.spi.ResultReport;
import dev.muster.spi.Validator;
import dev.muster.spi.Worker;
import dev.muster.spi.policy.TrustPolicy;
import dev.muster.spi.store.ResultOutcome;
import dev.muster.spi.store.ResultRecord;
import dev.muster.spi.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Takes a worker's report: checks the batch signature, prechecks each result (lease, size,
 * validator) without the store's lock, records the rest in one store call that applies the trust
 * policy and appends the log rows of the refused ones (so a report and its rows commit together),
 * and answers with one outcome per result in the order reported.
 */
final class ResultIntake {
    private final CoordinatorSettings settings;
    private final Store store;
    private final TrustPolicy policy;
    private final Map<String, Validator> validators;
    private final RejectionLog rejectionLog;
    private final Registrar registrar;
    private final WorkerStates workers;
    private final Events events;
    private final SpotChecks spotChecks;

    ResultIntake(CoordinatorSettings settings, Store store, TrustPolicy policy, Map<String, Validator> validators,
                 RejectionLog rejectionLog, Registrar registrar, WorkerStates workers, Events events,
                 SpotChecks spotChecks) {
        this.settings = settings;
        this.spotChecks = spotChecks;
        this.store = store;
        this.policy = policy;
        this.validators = validators;
        this.rejectionLog = rejectionLog;
        this.registrar = registrar;
        this.workers = workers;
        this.events = events;
    }

    List<ReportOutcome> report(ResultBatch batch, Instant now) {
        long start = System.nanoTime();
        List<ReportOutcome> outcomes = reportTimed(batch, now);
        settings.instrumentation().reported(outcomes.size(), System.nanoTime() - start);
        return outcomes;
    }

    private List<ReportOutcome> reportTimed(ResultBatch batch, Instant now) {
        Checks.notNull(batch, "batch");
        Checks.range(batch.results().size(), "results in one report", 1, settings.maxReportBatch());
        Worker w = workers.requireUsable(batch.worker());
        if (settings.signatures()
                && !Signatures.verify(registrar.keyOf(w), batch.signedBytes(), batch.signature())) {
            rejectionLog.record(new Rejection(now, w.id(), null, -1, RejectionReason.BAD_SIGNATURE,
                    "signature over a batch of " + batch.results().size() + " results does not verify"));
            throw new BadSignatureException("result batch signature of worker " + w.id()
                    + " does not verify against its registered key; no result in the batch was recorded");
        }
        workers.alive(w, now);

        List<ResultReport> reports = batch.results();
        ReportOutcome[] outcomes = new ReportOutcome[reports.size()];
        List<ResultRecord> records = new ArrayList<>(reports.size());
        int[] positions = new int[reports.size()];
        List<JobId> ids = new ArrayList<>(reports.size());
        for (ResultReport r : reports) {
            ids.add(r.jobId());
        }
        Map<JobId, Job> jobs = store.jobsById(ids);
        ResultPrecheck precheck = new ResultPrecheck(store, validators, rejectionLog, settings.maxResultBytes(), w.id(),
                now, settings.instrumentation());
        for (int i = 0; i < reports.size(); i++) {
            ResultReport r = reports.get(i);
            ReportOutcome early = precheck.check(r, jobs.get(r.jobId()), records);
            if (early != null) {
                outcomes[i] = early;
            } else {
                positions[records.size() - 1] = i;
            }
        }
        List<Rejection> logRows = precheck.logRows();
        if (records.isEmpty() && !logRows.isEmpty()) {
            store.recordResults(w, List.of(), logRows, now, policy);
        } else if (!records.isEmpty()) {
            List<ResultOutcome> stored = store.recordResults(w, records, logRows, now, policy);
            // Invalid results and disagreement put replicas back in the queue.
            events.workArrived();
            for (int k = 0; k < stored.size(); k++) {
                outcomes[positions[k]] = events.reported(w.id(), stored.get(k), now);
            }
            spotChecks.accepted(stored, now);
            for (ResultOutcome o : stored) {
                if (!o.banned().isEmpty()) {
                    workers.bannedByPolicy(o.banned(), now);
                }
            }
        }
        return List.of(outcomes);
    }
}
