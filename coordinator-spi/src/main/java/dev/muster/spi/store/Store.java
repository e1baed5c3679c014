package dev.muster.spi.store;

import dev.muster.spi.CreditEntry;
import dev.muster.spi.IdempotencyConflictException;
import dev.muster.spi.Job;
import dev.muster.spi.JobId;
import dev.muster.spi.JobQuery;
import dev.muster.spi.LeaderboardEntry;
import dev.muster.spi.LeaderboardScope;
import dev.muster.spi.OwnerAccount;
import dev.muster.spi.OwnerState;
import dev.muster.spi.PoolSummary;
import dev.muster.spi.Rejection;
import dev.muster.spi.ReleaseReason;
import dev.muster.spi.TicketRef;
import dev.muster.spi.Worker;
import dev.muster.spi.WorkerId;
import dev.muster.spi.WorkerState;
import dev.muster.spi.policy.KeyTrust;
import dev.muster.spi.policy.StoredResult;
import dev.muster.spi.policy.TrustPolicy;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Durable (or not) state of one pool: workers, jobs and their queue, leases, results, the ledger
 * and the rejection log.
 *
 * <p>The store owns atomicity, the coordinator owns policy. Every method is thread-safe and each
 * call is atomic: in particular a replica is never leased to two workers at once, a worker never
 * holds two replicas of one job, a job is accepted at most once and credit is granted exactly once
 * per accepted replica. Stores are exercised by one contract test suite
 * ({@code StoreContractTest} in this module's test-jar); a store passes it or it is not done.
 *
 * <p>Times are passed in rather than read from a clock, so the coordinator's injected clock
 * governs everything.
 */
public interface Store extends AutoCloseable {

    // ---- workers ----

    /**
     * Inserts or replaces a worker.
     *
     * @param worker the worker, stored under its id
     * @return the stored worker
     */
    Worker saveWorker(Worker worker);

    /**
     * Returns the worker, if registered.
     *
     * @param id the worker's id
     * @return the worker, if registered
     */
    Optional<Worker> worker(WorkerId id);

    /**
     * Records a sign of life at {@code at}; a later one already recorded stands, so heartbeats that
     * arrive out of order never make a worker look silent.
     *
     * @param id the worker
     * @param at when it was heard from
     * @return false if there is no such worker
     */
    boolean touch(WorkerId id, Instant at);

    /**
     * Changes a worker's state.
     *
     * @param id    the worker
     * @param state the new state
     * @return the worker after the change, if it exists
     */
    Optional<Worker> setWorkerState(WorkerId id, WorkerState state);

    /**
     * Lists registered workers in id order, a page at a time.
     *
     * @param after continue after this worker id, or null to start from the first
     * @param limit most workers to return
     * @return the page; shorter than {@code limit} only at the end
     */
    List<Worker> workers(WorkerId after, int limit);

    /**
     * Returns up to {@code limit} workers in {@code state} last seen before {@code cutoff}, for health
     * sweeps.
     *
     * @param state  the state to look in, such as {@code ACTIVE}
     * @param cutoff workers last seen at or after this instant are left out
     * @param limit  most workers to return, at least 1
     * @return up to {@code limit} workers in {@code state} last seen before {@code cutoff}, for
     *     health sweeps
     */
    List<Worker> silentWorkers(WorkerState state, Instant cutoff, int limit);

    /**
     * Returns up to {@code limit} workers of {@code owner}, in id order, for bans and taints that reach every
     * key of an owner.
     *
     * @param owner the owner's name
     * @param limit most workers to return, at least 1
     * @return up to {@code limit} workers of {@code owner}, in id order, for bans and taints that
     *     reach every key of an owner
     */
    List<Worker> workersOf(String owner, int limit);

    // ---- owner accounts ----

    /**
     * Creates an owner account.
     *
     * @param account the new account, with the hash of its secret
     * @return false, changing nothing, if an account of that name exists
     */
    boolean createOwner(OwnerAccount account);

    /**
     * Returns the owner account, if there is one of that name.
     *
     * @param name the account's name
     * @return the owner account, if there is one of that name
     */
    Optional<OwnerAccount> owner(String name);

    /**
     * Changes an owner account's state.
     *
     * @param name   the account's name
     * @param state  the new state
     * @param reason why (a ban's reason), or empty
     * @return the account after the change, if it exists
     */
    Optional<OwnerAccount> setOwnerState(String name, OwnerState state, String reason);

    /**
     * Returns up to {@code limit} owner accounts with names after {@code afterName} (null: from the first),
     * in name order.
     *
     * @param afterName the last name of the previous page, or null for the first page
     * @param limit     most accounts to return, at least 1
     * @return up to {@code limit} owner accounts with names after {@code afterName} (null: from the first), in name order
     */
    List<OwnerAccount> owners(String afterName, int limit);

    // ---- jobs ----

    /**
     * Stores jobs atomically: all of them, or none if one conflicts. A job whose
     * {@link NewJob#dedupKey()} matches an earlier job of the same submitter is not stored again;
     * the earlier job is returned.
     *
     * @param jobs the jobs to store, in submission order
     * @return one entry per new job, in order
     * @throws IdempotencyConflictException if an idempotency key names an earlier job with another digest
     */
    List<Submitted> submit(List<NewJob> jobs);

    /**
     * Returns the job, if stored.
     *
     * @param id the job's id
     * @return the job, if stored
     */
    Optional<Job> job(JobId id);

    /**
     * Looks up several jobs at once: a report of a batch of results needs all of their jobs, and
     * a store on a database answers in one query what would otherwise be one query per result.
     *
     * @param ids the jobs to look up
     * @return the stored jobs among {@code ids}, by id; ids of unknown jobs are absent
     */
    default java.util.Map<JobId, Job> jobsById(java.util.Collection<JobId> ids) {
        java.util.Map<JobId, Job> out = new java.util.HashMap<>();
        for (JobId id : ids) {
            job(id).ifPresent(j -> out.put(id, j));
        }
        return out;
    }

    /**
     * Lists jobs in id order. A page is shorter than the limit only when no more jobs match: a
     * store must not stop early after scanning a bounded range of ids, however many jobs that do
     * not match lie between two that do (index the filters instead).
     *
     * @param query the filters, the cursor and the page size
     * @return up to {@code query.limit()} jobs with ids above {@code query.after()} that pass its
     *     filters, in id order; fewer only if there are no more
     */
    List<Job> jobs(JobQuery query);

    /**
     * Cancels a job that is not final, revoking its leases.
     *
     * @param id     the job
     * @param at     when it was cancelled; becomes its finish time
     * @param reason recorded as the job's failure reason, truncated to
     *               {@link dev.muster.spi.Limits#FAILURE_REASON}
     * @return the job after the call, or empty if there is no such job
     */
    Optional<Job> cancel(JobId id, Instant at, String reason);

    // ---- leasing ----

    /**
     * Leases queued replicas to a worker: highest priority first, FIFO within a priority with
     * round-robin fairness across submitters, only jobs whose requirements the worker satisfies,
     * within the request's limits, never two replicas of one job to one worker and, if asked,
     * never two to one owner. Each lease's deadline is at least the request's {@code now} plus the
     * job's timeout (a store may start a lease a little later than {@code now}, never earlier).
     *
     * @param request who asks, for how many, and the limits to keep
     * @return the new leases, possibly none
     */
    List<LeasedJob> lease(LeaseRequest request);

    /**
     * Returns the leases a worker holds, expired ones included until they are ended.
     *
     * @param worker the holder
     * @return the leases a worker holds, expired ones included until they are ended
     */
    List<Lease> leases(WorkerId worker);

    /**
     * Ends up to {@code limit} leases whose deadline is before {@code now}; each counts an attempt
     * and its replica goes back to the queue, or the job fails if attempts ran out.
     *
     * @param now   leases with a deadline before this instant are due
     * @param limit most leases to end in this call, at least 1; housekeeping calls again for more
     * @return the leases ended, each with its job after the release
     */
    List<Released> expireLeases(Instant now, int limit);

    /**
     * Ends every lease {@code worker} holds, as {@link #expireLeases} does.
     *
     * @param worker the holder, such as a worker banned or gone offline
     * @param now    when the leases end
     * @param reason why, for the failure reason of a job whose attempts run out
     * @return the leases ended, each with its job after the release
     */
    List<Released> releaseLeases(WorkerId worker, Instant now, String reason);

    /**
     * Ends the listed leases that {@code worker} holds live at {@code now} (deadline not before
     * it), because the worker gave them up. Each released replica goes back to the queue; if the
     * reason {@linkplain ReleaseReason#countsAttempt() counts an attempt}, the release counts one
     * as an expiry does, and the job fails if attempts ran out. Tickets the worker does not hold
     * live, and repeats, are skipped without effect.
     *
     * @param worker  the holder giving the leases up
     * @param tickets the leases to give up
     * @param now     when; a lease whose deadline is before it is no longer live
     * @param reason  why, which decides whether an attempt is counted
     * @param detail  what went wrong, from the worker, for the job's failure reason; or null
     * @return the leases released, in the order listed
     */
    List<Released> releaseLeases(WorkerId worker, List<TicketRef> tickets, Instant now, ReleaseReason reason,
                                 String detail);

    // ---- results ----

    /**
     * Records checked results of one worker, each atomically with its consequences (the rules of
     * {@link JobLifecycle}):
     * <ul>
     *   <li>a result identical to one recorded before for the same replica and worker is a
     *       {@code DUPLICATE} and changes nothing; a different one is rejected;</li>
     *   <li>a result without a live lease of that worker on that replica is rejected;</li>
     *   <li>an invalid result ends its lease and counts an attempt, like an expiry;</li>
     *   <li>a valid result ends its lease and is kept; then {@code policy.decide} is asked, and
     *       its decision applied: accept (credit to every agreeing replica, disagreeing ones
     *       outvoted), add replicas, fail, or wait.</li>
     * </ul>
     *
     * <p>{@code rejections} are the rows for the rejection log that the caller found in the same
     * report before the store (results too large, of another seed, failing their digest); they
     * are appended to the log atomically with the records, so that a report and its log rows
     * are kept or lost together. Either list may be empty.
     *
     * @param worker     the reporting worker as the caller read it: its id and owner are recorded
     *                   with each answer, so the store need not read it again
     * @param records    the results, each with its validator's verdict
     * @param rejections rejection-log rows of the same report, written with the records
     * @param now        when the report arrived; lease deadlines are checked against it
     * @param policy     the trust policy that decides the jobs
     * @return one outcome per record, in order
     */
    List<ResultOutcome> recordResults(Worker worker, List<ResultRecord> records, List<Rejection> rejections,
                                      Instant now, TrustPolicy policy);

    /**
     * Records checked results of one worker with no rejection-log rows; see
     * {@link #recordResults(Worker, List, List, Instant, TrustPolicy)}.
     *
     * @param worker  the reporting worker as the caller read it
     * @param records the results, each with its validator's verdict
     * @param now     when the report arrived; lease deadlines are checked against it
     * @param policy  the trust policy that decides the jobs
     * @return one outcome per record, in order
     */
    default List<ResultOutcome> recordResults(Worker worker, List<ResultRecord> records, Instant now,
                                              TrustPolicy policy) {
        return recordResults(worker, records, List.of(), now, policy);
    }

    /**
     * Returns every result recorded for a job, oldest first; empty for an unknown job.
     *
     * @param id the job
     * @return every result recorded for a job, oldest first; empty for an unknown job
     */
    List<StoredResult> results(JobId id);

    // ---- standing of keys (open pools) ----

    /**
     * Returns the standing of a key; a {@link KeyTrust#newcomer} if it was never judged.
     *
     * @param worker the key, by its worker id
     * @return the standing of a key; a {@link KeyTrust#newcomer} if it was never judged
     */
    KeyTrust trust(WorkerId worker);

    /**
     * Changes one key's standing atomically: reads it (a newcomer's if never judged), applies
     * {@code change} and writes the result. A key that becomes banned has its worker banned in the
     * same call.
     *
     * @param worker the key, by its worker id
     * @param change from the standing before to the standing after; a store that retries a
     *               transaction may call it more than once, so it should have no other effect
     * @return the standing after the change
     */
    KeyTrust updateTrust(WorkerId worker, UnaryOperator<KeyTrust> change);

    /**
     * Returns up to {@code limit} banned keys whose results are not backtracked yet, in order of their ban
     * (oldest first), for the coordinator to finish what a crash interrupted.
     *
     * @param limit most keys to return, at least 1
     * @return up to {@code limit} banned keys whose results are not backtracked yet, in order of
     *     their ban (oldest first), for the coordinator to finish what a crash interrupted
     */
    List<KeyTrust> keysToBacktrack(int limit);

    /**
     * Decides again, one job at a time and each atomically ({@link JobLifecycle#reconsider}), up to
     * {@code limit} accepted jobs with ids above {@code after} whose accepted digest a valid result
     * of {@code worker} agreed with. When no such job is left after the page, the key is marked
     * {@linkplain KeyTrust#backtracked() backtracked}. Running a page again is harmless: a job that
     * no longer relies on the key is left alone.
     *
     * @param worker a banned key
     * @param after  continue after this job, or null to start from the first
     * @param limit  most jobs to decide again in this page, at least 1
     * @param now    when; the time of retractions and of any new acceptance
     * @param policy the trust policy that decides the jobs again
     * @return the page: what was retracted, where it ended, whether it was the last
     */
    Backtrack backtrack(WorkerId worker, JobId after, int limit, Instant now, TrustPolicy policy);

    /**
     * Returns the spot-checks that repeat {@code source} ({@link SpotCheck#source()}), oldest
     * first, so that the coordinator can void them when the source loses its acceptance.
     *
     * @param source the repeated job
     * @param limit  most ids to return, at least 1
     * @return their ids
     */
    List<JobId> spotChecksOf(JobId source, int limit);

    // ---- the allowlist of a trusted pool ----

    /**
     * Adds a worker key to the pool's allowlist. The list lasts as the store does (a database
     * keeps it across restarts) and is shared by the coordinators on one store.
     *
     * @param key an Ed25519 public key
     * @return whether it was not listed before
     */
    boolean allowKey(java.security.PublicKey key);

    /**
     * Removes a worker key from the pool's allowlist.
     *
     * @param worker the key, by its worker id
     * @return whether it was listed
     */
    boolean revokeKey(WorkerId worker);

    /**
     * Tells whether a key is on the pool's allowlist.
     *
     * @param worker the key, by its worker id
     * @return whether it is listed
     */
    boolean isAllowed(WorkerId worker);

    // ---- secrets shared by the coordinators of one pool ----

    /**
     * Returns the secret kept under {@code name}, keeping {@code candidate} first if there is none:
     * how the coordinators sharing a store agree on one ticket-signing key and one challenge secret
     * without configuring them. Atomic: of coordinators racing to keep a candidate, all get the same
     * value back, and a kept value never changes. A store that lasts (a database) keeps it durably.
     *
     * @param name      what the secret is for, 1 to 64 characters
     * @param candidate the value to keep if none is kept yet, 1 to 8,192 bytes
     * @return the kept value
     * @throws dev.muster.spi.InvalidRequestException if the name or candidate is out of range
     */
    byte[] sharedSecret(String name, byte[] candidate);

    // ---- ledger and logs ----

    /**
     * Returns the credit granted for a job, one entry per agreeing replica; empty unless it is accepted.
     *
     * @param id the job
     * @return the credit granted for a job, one entry per agreeing replica; empty unless it is accepted
     */
    List<CreditEntry> credits(JobId id);

    /**
     * Returns the top {@code limit} rows, highest credit first, ties by name.
     *
     * @param scope whether to rank workers or owners
     * @param since count credit granted at or after this instant, or null for all time; a store
     *              may round it down to its bucket size (the memory store uses one hour)
     * @param limit most rows, at least 1
     * @return the top {@code limit} rows, highest credit first, ties by name
     */
    List<LeaderboardEntry> leaderboard(LeaderboardScope scope, Instant since, int limit);

    /**
     * Appends to the rejection and anomaly log.
     *
     * @param rejection the entry to append
     */
    void logRejection(Rejection rejection);

    /**
     * Returns up to {@code limit} most recent log entries, newest first.
     *
     * @param limit most entries to return, at least 1
     * @return up to {@code limit} most recent log entries, newest first
     */
    List<Rejection> rejections(int limit);

    /**
     * Returns counts of workers, jobs and leases.
     *
     * @return counts of workers, jobs and leases
     */
    PoolSummary summary();

    // ---- status, for operators' pages and gauges ----

    /**
     * Counts the unfinished jobs (queued or running) by job type and requirements. Reads the
     * unfinished jobs only, never the history of finished ones.
     *
     * @return one row per type and requirements that has an unfinished job, by type then requirements
     *     in no particular order
     */
    List<dev.muster.spi.OpenJobs> openJobs();

    /**
     * Counts registered workers by state, cores, GPU and labels, with the leases they hold and the
     * most memory any of them offers (see {@link dev.muster.spi.WorkerGroup}).
     *
     * @return one row per state, cores, GPU and labels that has a worker, in no particular order
     */
    List<dev.muster.spi.WorkerGroup> workerGroups();

    /**
     * Counts the jobs accepted and failed in each hour from {@code since} on, by when they
     * finished. Reads the jobs finished since then only. Jobs a store already purged are not
     * counted.
     *
     * @param since the first hour counted is the one that holds this instant
     * @return the hours that had such a job, oldest first
     */
    List<dev.muster.spi.HourlyOutcomes> finishedPerHour(Instant since);

    /**
     * Reads the credit of some workers or owners, all time and per UTC day from {@code fromDay} on.
     * A store may keep days for a shorter span than asked (the memory store keeps its ledger
     * retention); then the days it no longer has are missing.
     *
     * @param scope   whether the names are worker ids or owner names
     * @param names   up to 1,000 names
     * @param fromDay the first day to list
     * @return one history per name that has credit, in no particular order
     */
    List<dev.muster.spi.CreditHistory> creditHistory(LeaderboardScope scope, java.util.Collection<String> names,
                                                     java.time.LocalDate fromDay);

    // ---- health ----

    /**
     * Checks whether the store can serve calls now. A store on a database asks the database to
     * do a small write and commit it, within a short timeout, so that a store that can still read
     * but not write (a full disk) is not reported healthy; a check that only ran out of time
     * because the database is busy reports the store available (load is not an outage). It also
     * counts the outages it saw in its calls. Callers (the coordinator's readiness) ask at most about once a second. Never
     * throws: a store that cannot answer is unavailable.
     *
     * <p>A store whose database failed must recover by itself when the cause goes away (the
     * database is back, space was freed), without being reopened; meanwhile its calls throw
     * {@link dev.muster.spi.StoreUnavailableException} promptly, with a message fit for clients.
     *
     * @return the store's health; the default, for stores that cannot fail, is always available
     */
    default StoreHealth checkHealth() {
        return StoreHealth.ALWAYS_UP;
    }

    // ---- housekeeping ----

    /**
     * Whether this instance should run housekeeping (lease expiry, offline sweeps, purges) now.
     * A store shared by several coordinators answers true on exactly one of them at a time, and
     * moves the duty to another when that one dies; a store of one coordinator always answers
     * true. Called before every housekeeping round, so it should be cheap.
     *
     * @return whether this instance runs the next housekeeping round
     */
    default boolean leadsHousekeeping() {
        return true;
    }

    /**
     * Deletes up to {@code limit} jobs that finished before {@code finishedBefore}, with their
     * replicas, results and credit entries (leaderboard totals are kept). Resubmitting a purged
     * job creates a new one. A store that bounds its history in another way may do nothing.
     *
     * @param finishedBefore jobs that finished at or after this instant are kept
     * @param limit          most jobs to delete in this call, at least 1
     * @return the number of jobs deleted
     */
    default int purgeFinished(Instant finishedBefore, int limit) {
        return 0;
    }

    /** Releases resources; the store is unusable afterwards. */
    @Override
    void close();
}
