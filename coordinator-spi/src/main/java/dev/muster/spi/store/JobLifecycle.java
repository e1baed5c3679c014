package dev.muster.spi.store;

import dev.muster.spi.CreditEntry;
import dev.muster.spi.Job;
import dev.muster.spi.JobState;
import dev.muster.spi.Limits;
import dev.muster.spi.RejectionReason;
import dev.muster.spi.ReleaseReason;
import dev.muster.spi.ResultReport;
import dev.muster.spi.WorkerId;
import dev.muster.spi.policy.Decision;
import dev.muster.spi.policy.KeyTrust;
import dev.muster.spi.policy.StoredResult;
import dev.muster.spi.policy.TrustPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The rules every store applies while it holds a job: admitting a reported result, recording the
 * answer, ending leases, counting failed attempts, asking the trust policy once per valid answer
 * and applying its decision, cancelling. They live here once so that stores cannot drift apart;
 * a store finds and locks the job, calls one of these methods and persists what it is told ({@link JobChanges}).
 *
 * <p>A subclass may change a rule (the tests do, to show that every store follows it); stores
 * take the lifecycle they are given and default to {@link #STANDARD}. Stateless and thread-safe.
 */
public class JobLifecycle {
    /** The rules as Muster documents them. */
    public static final JobLifecycle STANDARD = new JobLifecycle();
    /** For subclasses; stores use {@link #STANDARD} unless given another. */
    protected JobLifecycle() {}

    /**
     * Records one checked result of {@code worker}, with its consequences, as
     * {@link Store#recordResults} describes: the admission checks of {@link #admit}, then the
     * answer ends the lease; an invalid one counts a failed attempt; a valid one is put before
     * {@code policy}, whose decision is applied.
     *
     * <p>For a policy that {@linkplain TrustPolicy#judgesKeys() judges keys}, the standing of the
     * keys is read from and written to {@code trust} in the same call: an invalid result of a key
     * the policy does not hold to account costs no attempt, the decision weighs the reporters'
     * standing, every key outvoted by an acceptance is judged, and so is every answer to a hidden
     * spot-check ({@link JobRecord#spotCheck()}), right or wrong. After a right answer the
     * spot-check goes on as any other job would; a wrong one ends it as FAILED, so that a wrong
     * known answer costs at most one honest key.
     *
     * @param <J>     the store's job record type
     * @param job     the locked job, or null if there is no such job
     * @param worker  the reporting worker
     * @param owner   the worker's owner, recorded with the answer
     * @param record  the result with its validator's verdict
     * @param now     when the report arrived; the lease deadline is checked against it
     * @param policy  the trust policy that decides the job
     * @param changes told every change made to the job, for the store to persist
     * @param trust   the store's standings, used only for a policy that judges keys
     * @return what the call did
     */
    public <J extends JobRecord> ResultOutcome recordResult(J job, WorkerId worker, String owner, ResultRecord record,
                                                            Instant now, TrustPolicy policy, JobChanges<J> changes,
                                                            TrustBook trust) {
        ResultReport r = record.report();
        if (job == null) {
            return admit(r, worker, null, null, null, null, now);
        }
        LeaseRecord lease = job.liveLease(r.replica(), worker);
        ResultOutcome refused = admit(r, worker, job.state(), job::snapshot,
                job.result(r.replica(), worker), lease == null ? null : lease.deadline(), now);
        if (refused != null) {
            return refused;
        }
        boolean valid = record.verdict().valid();
        StoredResult stored = new StoredResult(job.id(), r.replica(), worker, owner, r.resultDigest(), r.result(),
                r.metadata(), valid, record.verdict().reason(), record.claimedCredit(), now);
        job.removeLease(lease);
        job.addResult(stored);
        changes.answered(job, lease, stored);
        List<WorkerId> caught = judgeSpotCheck(job, stored, now, policy, trust);
        ResultOutcome outcome;
        if (job.spotCheck() != null && policy.judgesKeys() && !passes(job.spotCheck(), stored)) {
            // One wrong answer ends a spot-check: if its known answer was the wrong one, it bans
            // one honest key, not every key the job would go on to.
            finish(job, JobState.FAILED, now, null, "spot-check answered wrongly", changes);
            outcome = ResultOutcome.recorded(job.snapshot(), r.replica(), true);
        } else {
            outcome = recordChecked(job, stored, record, now, policy, changes, trust);
        }
        if (caught.isEmpty()) {
            return outcome;
        }
        List<WorkerId> banned = new ArrayList<>(caught);
        banned.addAll(outcome.banned());
        return outcome.withBanned(banned);
    }

    private static boolean passes(SpotCheck check, StoredResult answer) {
        return answer.valid() && answer.resultDigest().equals(check.knownDigest());
    }

    /** The answer to a spot-check judges its key, before anything else happens. @return the key if it is banned now */
    private static List<WorkerId> judgeSpotCheck(JobRecord job, StoredResult answer, Instant now, TrustPolicy policy,
                                                 TrustBook trust) {
        SpotCheck check = job.spotCheck();
        if (check == null || !policy.judgesKeys()) {
            return List.of();
        }
        boolean passed = passes(check, answer);
        boolean[] wasBanned = new boolean[1];
        KeyTrust after = trust.update(answer.worker(), before -> {
            wasBanned[0] = before.banned();
            return policy.spotChecked(before, passed, answer, now);
        });
        return after.banned() && !wasBanned[0] ? List.of(answer.worker()) : List.of();
    }

    /** What a recorded answer does to its job: an attempt counted, or the policy's decision applied. */
    private <J extends JobRecord> ResultOutcome recordChecked(J job, StoredResult stored, ResultRecord record,
                                                              Instant now, TrustPolicy policy, JobChanges<J> changes,
                                                              TrustBook trust) {
        ResultReport r = record.report();
        WorkerId worker = stored.worker();
        boolean valid = stored.valid();
        if (!valid) {
            if (policy.judgesKeys() && !policy.countsAttempt(trust.read(List.of(worker)).get(worker))) {
                changes.updated(job);
                requeue(job, changes);
                return ResultOutcome.invalid(job.snapshot(), r.replica(), record.verdict().reason(), false);
            }
            boolean failed = countFailedAttempt(job, now, "invalid result from " + worker, changes);
            return ResultOutcome.invalid(job.snapshot(), r.replica(), record.verdict().reason(), failed);
        }
        Decision decision = decide(job, policy, trust);
        if (decision instanceof Decision.Accept accept) {
            ResultOutcome accepted = accept(job, stored, accept, now, changes);
            return accepted.withBanned(judgeOutvoted(accepted.outvoted(), stored, accept, now, policy, trust));
        }
        if (decision instanceof Decision.AddReplicas add) {
            job.addReplicas(add.count());
            changes.replicasAdded(job);
        } else if (decision instanceof Decision.Fail fail) {
            finish(job, JobState.FAILED, now, null, fail.reason(), changes);
            return ResultOutcome.recorded(job.snapshot(), r.replica(), true);
        }
        return ResultOutcome.recorded(job.snapshot(), r.replica(), false);
    }

    /**
     * Decides again an accepted job whose results changed standing (a key that reported one was
     * banned): if the policy, asked as if the job had just received its last result, still
     * accepts the same digest, nothing changes; otherwise the acceptance is taken back, the job's
     * credit revoked, the keys it had outvoted {@linkplain TrustPolicy#vindicated vindicated}, and
     * the new decision applied: more replicas, another digest accepted (with fresh credit), or
     * failure. A job that is not accepted is left alone.
     *
     * @param <J>     the store's job record type
     * @param job     the locked job
     * @param now     when; the time of a new acceptance or failure
     * @param reason  why the job is reconsidered, for the retraction
     * @param policy  the trust policy that decides the job again
     * @param changes told every change made to the job, for the store to persist
     * @param trust   the store's standings, read for the decision and changed for vindicated keys
     * @return the retraction, or null if the job keeps its acceptance
     */
    public <J extends JobRecord> Retraction reconsider(J job, Instant now, String reason, TrustPolicy policy,
                                                       JobChanges<J> changes, TrustBook trust) {
        if (job.state() != JobState.ACCEPTED) {
            return null;
        }
        Decision decision = decide(job, policy, trust);
        String retracted = job.acceptedDigest();
        if (decision instanceof Decision.Accept accept && accept.resultDigest().equals(retracted)) {
            return null;
        }
        job.retract();
        changes.stateChanged(job, JobState.ACCEPTED);
        changes.retracted(job);
        if (policy.judgesKeys()) {
            for (StoredResult lost : job.results()) {
                if (lost.valid() && !lost.resultDigest().equals(retracted)) {
                    trust.update(lost.worker(), before -> before.banned() ? before
                            : policy.vindicated(before, lost, now));
                }
            }
        }
        if (decision instanceof Decision.Accept accept) {
            StoredResult winner = job.results().stream()
                    .filter(s -> s.valid() && s.resultDigest().equals(accept.resultDigest())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("trust policy accepted digest "
                            + accept.resultDigest() + " for job " + job.id() + " but no valid result has it"));
            accept(job, winner, accept, now, changes);
        } else if (decision instanceof Decision.AddReplicas add) {
            job.addReplicas(add.count());
            changes.replicasAdded(job);
        } else if (decision instanceof Decision.Fail fail) {
            finish(job, JobState.FAILED, now, null, fail.reason(), changes);
        } else {
            changes.updated(job);
        }
        return new Retraction(job.snapshot(), retracted, reason);
    }

    /** Asks the policy about the job's results as they stand, with the reporters' standing if it judges keys. */
    private static Decision decide(JobRecord job, TrustPolicy policy, TrustBook trust) {
        List<StoredResult> results = List.copyOf(job.results());
        if (!policy.judgesKeys()) {
            return policy.decide(job.snapshot(), results);
        }
        Set<WorkerId> reporters = new LinkedHashSet<>();
        results.forEach(s -> reporters.add(s.worker()));
        return policy.decide(job.snapshot(), results, trust.read(reporters));
    }

    /** Judges every key an acceptance outvoted. @return the keys that this banned */
    private static List<WorkerId> judgeOutvoted(List<StoredResult> outvoted, StoredResult trigger,
                                                Decision.Accept accept, Instant now, TrustPolicy policy,
                                                TrustBook trust) {
        if (!policy.judgesKeys()) {
            return List.of();
        }
        List<StoredResult> losers = new ArrayList<>(outvoted);
        if (!trigger.resultDigest().equals(accept.resultDigest())) {
            losers.add(trigger);
        }
        List<WorkerId> banned = new ArrayList<>();
        for (StoredResult lost : losers) {
            boolean[] wasBanned = new boolean[1];
            KeyTrust after = trust.update(lost.worker(), before -> {
                wasBanned[0] = before.banned();
                return policy.outvoted(before, lost, now);
            });
            if (after.banned() && !wasBanned[0]) {
                banned.add(lost.worker());
            }
        }
        return banned;
    }

    /**
     * Ends a live lease that produced no result (it expired, or its worker gave it up or went
     * away): a failed attempt is counted and the replica is retried, or the job fails. A lease
     * that {@linkplain LeaseRecord#sparesAttempt() spares attempts} only puts its replica back.
     *
     * @param <J>     the store's job record type
     * @param job     the locked job that holds the lease
     * @param lease   a live lease of the job
     * @param now     when the lease ends; the finish time if the job fails
     * @param why     what ended the lease, quoted in the failure reason if attempts run out
     * @param changes told every change made to the job, for the store to persist
     * @return the release
     */
    public <J extends JobRecord> Released release(J job, LeaseRecord lease, Instant now, String why,
                                                  JobChanges<J> changes) {
        endLease(job, lease, changes);
        if (lease.sparesAttempt()) {
            requeue(job, changes);
        } else {
            countFailedAttempt(job, now, why, changes);
        }
        return new Released(lease.lease(), job.snapshot());
    }

    /**
     * Ends {@code worker}'s live lease on {@code replica} because the worker gave it up: if the
     * reason counts an attempt, as an expiry does ({@link #release}); otherwise the replica goes
     * back to the queue and no attempt is counted.
     *
     * @param <J>     the store's job record type
     * @param job     the locked job, or null if there is no such job
     * @param worker  the worker giving the lease up
     * @param replica the replica it names
     * @param now     when; a lease whose deadline is before it is no longer live
     * @param reason  why, which decides whether an attempt is counted
     * @param detail  what went wrong, from the worker, kept in the failure reason; or null
     * @param changes told every change made to the job, for the store to persist
     * @return the release, or null if the worker holds no live lease on that replica at {@code now}
     */
    public <J extends JobRecord> Released giveUp(J job, WorkerId worker, int replica, Instant now,
                                                 ReleaseReason reason, String detail, JobChanges<J> changes) {
        LeaseRecord lease = job == null ? null : job.liveLease(replica, worker);
        if (lease == null || lease.deadline().isBefore(now)) {
            return null;
        }
        if (reason.countsAttempt()) {
            String told = detail == null || detail.isBlank() ? "" : "; the worker reports: \"" + detail + "\"";
            return release(job, lease, now, "lease of worker " + worker + " given up: " + reason.description() + told,
                    changes);
        }
        endLease(job, lease, changes);
        requeue(job, changes);
        return new Released(lease.lease(), job.snapshot());
    }

    /**
     * Cancels a job that is not final, revoking its leases; a final job is left as it is.
     *
     * @param <J>     the store's job record type
     * @param job     the locked job
     * @param at      when it was cancelled; becomes its finish time
     * @param reason  recorded as the failure reason, truncated to {@link Limits#FAILURE_REASON}
     * @param changes told every change made to the job, for the store to persist
     */
    public <J extends JobRecord> void cancel(J job, Instant at, String reason, JobChanges<J> changes) {
        if (!job.state().isFinal()) {
            finish(job, JobState.CANCELLED, at, null, Limits.FAILURE_REASON.fit(reason), changes);
        }
    }

    /**
     * Whether a job has used up its attempts: checked after each failed attempt is counted.
     *
     * @param job the job, with the attempt just counted
     * @return true if the job is to fail now
     */
    protected boolean attemptsExhausted(JobRecord job) {
        return job.attempts() >= job.spec().maxAttempts();
    }

    /** A lease ended without a valid result: count an attempt, then retry or fail. @return true if it failed */
    private <J extends JobRecord> boolean countFailedAttempt(J job, Instant at, String why, JobChanges<J> changes) {
        job.countAttempt();
        if (attemptsExhausted(job)) {
            finish(job, JobState.FAILED, at, null, Limits.FAILURE_REASON.fit("attempts exhausted (" + job.attempts()
                    + " of " + job.spec().maxAttempts() + "); last: " + why), changes);
            return true;
        }
        changes.updated(job);
        requeue(job, changes);
        return false;
    }

    /** Makes the replica of an ended lease wanted again; a job nobody works on is queued again. */
    private <J extends JobRecord> void requeue(J job, JobChanges<J> changes) {
        job.reopen(1);
        if (job.leases().isEmpty() && job.state() == JobState.RUNNING
                && job.results().stream().noneMatch(StoredResult::valid)) {
            job.requeue();
            changes.stateChanged(job, JobState.RUNNING);
        }
        changes.reopened(job);
    }

    private <J extends JobRecord> ResultOutcome accept(J job, StoredResult trigger, Decision.Accept accept,
                                                       Instant now, JobChanges<J> changes) {
        List<CreditEntry> credits = new ArrayList<>();
        List<StoredResult> outvoted = new ArrayList<>();
        byte[] acceptedBytes = null;
        for (StoredResult s : job.results()) {
            if (!s.valid()) {
                continue;
            }
            if (s.resultDigest().equals(accept.resultDigest())) {
                credits.add(new CreditEntry(job.id(), s.replica(), s.worker(), s.owner(), accept.credit(), now));
                acceptedBytes = s.result();
            } else {
                outvoted.add(s);
            }
        }
        if (acceptedBytes == null) {
            throw new IllegalStateException("trust policy accepted digest " + accept.resultDigest() + " for job "
                    + job.id() + " but no valid result has it");
        }
        changes.credited(job, credits);
        finish(job, JobState.ACCEPTED, now, accept.resultDigest(), null, changes);
        if (trigger.resultDigest().equals(accept.resultDigest())) {
            return ResultOutcome.accepted(job.snapshot(), trigger.replica(), credits, acceptedBytes, outvoted);
        }
        return ResultOutcome.outvoted(job.snapshot(), trigger.replica(), credits,
                acceptedBytes, outvoted.stream().filter(s -> s != trigger).toList());
    }

    private static <J extends JobRecord> void endLease(J job, LeaseRecord lease, JobChanges<J> changes) {
        job.removeLease(lease);
        changes.leaseEnded(job, lease);
    }

    private static <J extends JobRecord> void finish(J job, JobState state, Instant at, String acceptedDigest,
                                                     String failureReason, JobChanges<J> changes) {
        for (LeaseRecord l : List.copyOf(job.leases())) {
            endLease(job, l, changes);
        }
        JobState from = job.state();
        job.finish(state, at, acceptedDigest, failureReason);
        changes.stateChanged(job, from);
        changes.finished(job);
    }

    /**
     * Decides whether a reported result may be recorded, with checks in this order so that every
     * store answers the same report the same way: a repeat of this worker's recorded answer (a
     * harmless duplicate, or a conflicting one), no live lease of this worker on this replica, an
     * expired lease.
     *
     * <p>A worker is told nothing about a job it does not hold: whether the job is unknown,
     * finished, or leased to someone else, the answer is {@link RejectionReason#NOT_LEASED} with
     * the same words ({@link #notHeld}). (So a worker whose lease was revoked because the job
     * finished or was cancelled hears NOT_LEASED too; what it should do is the same: drop the
     * result.)
     *
     * @param report        the reported result
     * @param worker        who reported it
     * @param state         the job's state, or null if there is no such job
     * @param job           the job as it stands, for the outcome; called only when one is returned
     * @param earlier       what this worker recorded for this replica before, or null
     * @param leaseDeadline the deadline of this worker's live lease on this replica, or null if it
     *                      holds none
     * @param now           when the report is being recorded
     * @return the outcome that ends this result's report, or null if the result is to be recorded
     */
    protected ResultOutcome admit(ResultReport report, WorkerId worker, JobState state, Supplier<Job> job,
                                      StoredResult earlier, Instant leaseDeadline, Instant now) {
        if (state == null) {
            return ResultOutcome.rejected(report.jobId(), report.replica(), RejectionReason.NOT_LEASED,
                    notHeld(worker, report), null);
        }
        if (earlier != null) {
            if (earlier.resultDigest().equals(report.resultDigest())) {
                return ResultOutcome.duplicate(job.get(), report.replica());
            }
            return ResultOutcome.rejected(report.jobId(), report.replica(), RejectionReason.CONFLICTING_DUPLICATE,
                    "replica " + report.replica() + " was already reported with digest " + earlier.resultDigest(),
                    job.get());
        }
        // A final job has no live leases: this catches it without saying that it finished.
        if (leaseDeadline == null || state.isFinal()) {
            return ResultOutcome.rejected(report.jobId(), report.replica(), RejectionReason.NOT_LEASED,
                    notHeld(worker, report), job.get());
        }
        if (leaseDeadline.isBefore(now)) {
            return ResultOutcome.rejected(report.jobId(), report.replica(), RejectionReason.NOT_LEASED,
                    "the lease on job " + report.jobId() + " replica " + report.replica() + " expired at "
                            + leaseDeadline, job.get());
        }
        return null;
    }

    /**
     * Words the answer to a report about a job its worker does not hold.
     *
     * @param worker the reporting worker
     * @param report the result it reported
     * @return the detail of every {@code NOT_LEASED} answer about a job the worker does not hold;
     *     it names only what the report named
     */
    public static String notHeld(WorkerId worker, ResultReport report) {
        return "worker " + worker + " holds no lease on job " + report.jobId() + " replica " + report.replica();
    }
}
