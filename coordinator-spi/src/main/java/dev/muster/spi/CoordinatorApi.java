package dev.muster.spi;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a coordinator offers to workers, submitters and admins. Transports adapt this interface to
 * the wire; they authenticate callers, this interface checks everything else.
 *
 * <p>Every method validates its input and throws a specific {@link MusterException} subclass with
 * a message that names the problem; a call that throws changed nothing.
 */
public interface CoordinatorApi {

    // ---- workers ----

    /**
     * Returns a fresh challenge for {@link #register}.
     *
     * @return a fresh challenge for {@link #register}
     */
    Challenge challenge();

    /**
     * Registers (or re-registers) a worker after checking its proof of key possession.
     *
     * @param registration the worker's details, signed over a fresh challenge
     * @return the stored worker, {@link WorkerState#ACTIVE}
     * @throws BadSignatureException         if the proof does not verify, or the challenge is stale or forged
     * @throws RegistrationRefusedException  if the trust policy, the client build check or a ban refuses it
     * @throws InvalidRequestException       if a field is malformed
     */
    Worker register(Registration registration);

    /**
     * Returns the public key that verifies this coordinator's ticket batches, for a transport to
     * publish so that workers can pin it; empty when the coordinator does not sign tickets
     * (signatures off).
     *
     * @return the Ed25519 public key, if tickets are signed
     */
    java.util.Optional<java.security.PublicKey> ticketSigningKey();

    /**
     * Checks a worker's signature over bytes a transport assembled, such as a signed request, with
     * the public key the worker registered. The coordinator decodes each worker's key once and
     * keeps it, so a transport needs no cryptography of its own. Bans are not checked here.
     *
     * @param worker    the worker said to have signed
     * @param message   the signed bytes
     * @param signature the signature (Ed25519: 64 bytes)
     * @return whether the signature verifies
     * @throws UnknownWorkerException  if the worker never registered
     * @throws InvalidRequestException if the worker's stored key cannot verify signatures
     */
    boolean verifySignature(WorkerId worker, byte[] message, byte[] signature);

    /**
     * Records a sign of life; a degraded or offline worker becomes active again.
     *
     * @param worker the worker heard from
     * @throws UnknownWorkerException if the worker never registered
     * @throws WorkerBannedException  if the worker is banned
     */
    void heartbeat(WorkerId worker);

    /**
     * Leases up to {@code max} jobs that match the worker's capabilities, within its concurrency
     * limits. Returns an empty batch when nothing fits or the worker is draining.
     *
     * @param worker the worker asking for work
     * @param max    most tickets to lease, from 1 to the coordinator's lease batch limit
     * @return the tickets leased, possibly none, signed as one batch
     * @throws UnknownWorkerException  if the worker never registered
     * @throws WorkerBannedException   if the worker is banned
     * @throws InvalidRequestException if {@code max} is out of range
     */
    TicketBatch lease(WorkerId worker, int max);

    /**
     * Like {@link #lease(WorkerId, int)}, but when nothing fits now, waits up to {@code wait} for
     * work to arrive (a long poll) instead of answering at once with an empty batch. The returned
     * future completes with the tickets as soon as there are some, or with an empty batch when the
     * wait is over; it never holds a thread while it waits.
     *
     * @param worker the worker asking for work
     * @param max    most tickets to lease, from 1 to the coordinator's lease batch limit
     * @param wait   how long to wait for work, from zero (answer at once) to the coordinator's
     *               longest long poll
     * @return the tickets leased, possibly none, once there are some or the wait is over
     * @throws UnknownWorkerException  if the worker never registered
     * @throws WorkerBannedException   if the worker is banned
     * @throws InvalidRequestException if {@code max} or {@code wait} is out of range
     */
    java.util.concurrent.CompletableFuture<TicketBatch> leaseAsync(WorkerId worker, int max, Duration wait);

    /**
     * Reports results. The batch signature is checked first: if it fails the whole batch is
     * rejected with an exception. Otherwise each result gets its own outcome.
     *
     * @param batch the results of one worker, signed together, at most the report batch limit
     * @return one outcome per result, in the batch's order
     * @throws BadSignatureException   if the batch signature does not verify
     * @throws UnknownWorkerException  if the worker never registered
     * @throws WorkerBannedException   if the worker is banned
     * @throws InvalidRequestException if the batch is over the size limit
     */
    List<ReportOutcome> report(ResultBatch batch);

    /**
     * Gives up leases the worker holds, so that their replicas go back to the queue now rather
     * than at their deadlines, and workers waiting for work are offered them. Only the worker's
     * own live leases are released: a ticket it does not hold (another worker's, already answered
     * or released, past its deadline, or naming no job) is left alone and missing from the answer,
     * which tells the caller nothing about it beyond that.
     *
     * @param worker  the worker giving the leases up
     * @param tickets the tickets to give up, each named once, at most the report batch limit
     * @param reason  why: {@link ReleaseReason#FAILED} counts one of each job's attempts (a job may
     *                fail when they run out), {@link ReleaseReason#NOT_RUN} does not
     * @return the tickets that were released, in the order given
     * @throws UnknownWorkerException  if the worker never registered
     * @throws WorkerBannedException   if the worker is banned (its leases were released by the ban)
     * @throws InvalidRequestException if the list is null, empty, over the limit, or names a
     *                                 ticket twice, or the reason is null; nothing was released
     */
    default List<TicketRef> release(WorkerId worker, List<TicketRef> tickets, ReleaseReason reason) {
        return release(worker, tickets, reason, null);
    }

    /**
     * As {@link #release(WorkerId, List, ReleaseReason)}, with what went wrong: for
     * {@link ReleaseReason#FAILED}, a job that runs out of attempts keeps it in its failure
     * reason, so that a job a handler cannot run says why.
     *
     * @param worker  the worker giving the leases up
     * @param tickets the tickets to give up
     * @param reason  why, as for the other method
     * @param detail  what went wrong, or null; control and format characters become spaces and it is
     *                cut to 1,000 characters, since it is advisory
     * @return the tickets that were released, in the order given
     * @throws InvalidRequestException as for the other method
     */
    List<TicketRef> release(WorkerId worker, List<TicketRef> tickets, ReleaseReason reason, String detail);

    /**
     * The worker says it is stopping: it gets no new leases ({@link WorkerState#LEAVING}) and may
     * still report the ones it holds; registering again makes it active. A worker an admin drained
     * stays drained.
     *
     * @param worker the worker that is stopping
     * @throws UnknownWorkerException if the worker never registered
     * @throws WorkerBannedException  if the worker is banned
     */
    void leave(WorkerId worker);

    /**
     * An admin drains a worker: it gets no new leases and may finish and report the ones it holds
     * ({@link WorkerState#DRAINING}). The drain lasts until {@link #resume}: the worker cannot end
     * it by registering again.
     *
     * @param worker the worker to drain
     * @throws UnknownWorkerException if the worker never registered
     * @throws WorkerBannedException  if the worker is banned
     */
    void drain(WorkerId worker);

    /**
     * Ends an admin's drain: the worker may lease again. A worker that is not draining is left as
     * it is (a ban is not lifted here).
     *
     * @param worker the worker to resume
     * @return the worker after the call
     * @throws UnknownWorkerException if the worker never registered
     */
    Worker resume(WorkerId worker);

    // ---- submitters ----

    /**
     * Queues jobs. A job whose idempotency key (or, without a key, whose content digest) matches an
     * earlier job of the same submitter returns that job instead of a new one.
     *
     * @param specs the jobs to queue, all or none, at most the submit batch limit
     * @return one job per spec, in order
     * @throws UnknownJobTypeException       if a spec names a type with no validator
     * @throws IdempotencyConflictException  if a key is reused for different content
     * @throws InvalidRequestException       if the batch or a payload is over its limit; nothing is queued
     */
    List<Job> submit(List<JobSpec> specs);

    /**
     * Returns the job, if the store holds it.
     *
     * @param id the job
     * @return the job, if the store holds it
     */
    Optional<Job> job(JobId id);

    /**
     * Lists jobs that pass the query's filters, in id order after its cursor. To page, pass the
     * last id of a full page as the next query's cursor; a page shorter than the limit (possibly
     * empty) is the last.
     *
     * @param query the filters, the cursor and the page size
     * @return up to {@code query.limit()} jobs; fewer only if no more match
     */
    List<Job> jobs(JobQuery query);

    /**
     * Returns the accepted result of a job, if it was accepted (and is still held).
     *
     * @param id the job
     * @return the accepted result of a job, if it was accepted (and is still held)
     */
    Optional<byte[]> acceptedResult(JobId id);

    /**
     * Returns how far the job's replicas have got, or empty if there is no such job.
     *
     * @param id the job
     * @return how far the job's replicas have got, or empty if there is no such job
     */
    Optional<JobProgress> progress(JobId id);

    /**
     * Cancels a job that has not finished; its leases are revoked.
     *
     * @param id the job
     * @return the job after the call (unchanged if it had already finished)
     * @throws UnknownJobException if there is no such job
     */
    Job cancel(JobId id);

    // ---- admins and public queries ----

    /**
     * Bans a worker: its leases go back to the queue and it is refused from now on.
     *
     * @param worker the worker to ban
     * @param reason why, for admins and listeners; not blank, at most {@link Limits#BAN_REASON} characters
     * @throws UnknownWorkerException if the worker never registered
     */
    void ban(WorkerId worker, String reason);

    /**
     * Creates an owner account (admin), returning its secret, which is shown this once.
     *
     * @param name the account's name, at most {@link Limits#OWNER} characters
     * @return the name and the secret; only a hash of the secret is kept
     * @throws OwnerExistsException if an account of that name exists
     */
    OwnerCredentials createOwner(String name);

    /**
     * Creates an owner account for a volunteer signing up, where the pool allows open sign-up.
     *
     * @param name the account's name, at most {@link Limits#OWNER} characters
     * @return the name and the secret; only a hash of the secret is kept
     * @throws RegistrationRefusedException if sign-up is closed
     * @throws OwnerExistsException         if an account of that name exists
     */
    OwnerCredentials signUp(String name);

    /**
     * Returns the owner account (without its secret), if there is one.
     *
     * @param name the account's name
     * @return the owner account (without its secret), if there is one
     */
    Optional<OwnerAccount> ownerAccount(String name);

    /**
     * Returns owner accounts with names after {@code afterName} (null: from the first), in name order.
     *
     * @param afterName the last name of the previous page, or null for the first page
     * @param limit     most accounts, from 1 to 1,000
     * @return owner accounts with names after {@code afterName} (null: from the first), in name order
     */
    List<OwnerAccount> ownerAccounts(String afterName, int limit);

    /**
     * Bans an owner account: every key of it is banned (each announced), and no new key of it registers.
     *
     * @param name   the account's name
     * @param reason why, quoted in each of its keys' bans; not blank, at most {@link Limits#BAN_REASON} characters
     * @return the account, banned
     * @throws UnknownOwnerException if there is no such account
     */
    OwnerAccount banOwner(String name, String reason);

    /**
     * Returns the worker, if registered.
     *
     * @param id the worker
     * @return the worker, if registered
     */
    Optional<Worker> worker(WorkerId id);

    /**
     * Returns the standing of a worker's key in an open pool: hidden spot-checks passed, disputes
     * lost, whether it is banned and backtracked. For admins; workers never see it.
     *
     * @param worker the key, by its worker id
     * @return the standing, a newcomer's for a key never judged
     * @throws UnknownWorkerException if the worker never registered
     */
    dev.muster.spi.policy.KeyTrust standing(WorkerId worker);

    /**
     * Lists registered workers in id order, a page at a time.
     *
     * @param after continue after this worker id (the last of the previous page), or null to start
     * @param limit most workers, from 1 to 1,000
     * @return the page; shorter than {@code limit} only at the end
     */
    List<Worker> workers(WorkerId after, int limit);

    /**
     * Lets a key register in a trusted pool.
     *
     * @param key the worker's Ed25519 public key
     * @return whether it was not listed before
     * @throws InvalidRequestException if the trust policy keeps no allowlist
     */
    boolean allow(java.security.PublicKey key);

    /**
     * Stops a key registering again (a registered worker keeps working until banned).
     *
     * @param worker the key, by its worker id
     * @return whether it was listed
     * @throws InvalidRequestException if the trust policy keeps no allowlist
     */
    boolean revoke(WorkerId worker);

    /**
     * Returns the top of the leaderboard, highest credit first.
     *
     * @param scope  whether to rank workers or owners
     * @param window how far back to count, or null for all time; at most 36,525 days
     * @param limit  most rows, at least 1
     * @return the top of the leaderboard, highest credit first
     * @throws InvalidRequestException if the window is not positive or is longer than 36,525 days
     */
    List<LeaderboardEntry> leaderboard(LeaderboardScope scope, Duration window, int limit);

    /**
     * Returns the most recent rejection-log entries, newest first.
     *
     * @param limit most entries, from 1 to 10,000
     * @return the most recent rejection-log entries, newest first
     */
    List<Rejection> rejections(int limit);

    /**
     * Returns counts of workers, jobs and leases.
     *
     * @return counts of workers, jobs and leases
     */
    PoolSummary summary();

    /**
     * Reads what an operator's status page shows. The answer is kept for a couple of seconds, so
     * pages and scrapes at any rate cost the store a few reads every couple of seconds.
     *
     * @return the pool's status
     */
    PoolStatus status();

    /**
     * Reads the public profile of a contributor: its credit over time and its workers.
     *
     * @param owner an owner name
     * @return the profile, or empty if the name has neither workers, credit nor an account
     */
    Optional<OwnerProfile> ownerProfile(String owner);

    /**
     * Returns the read-only resources transports serve beside the API, such as a metrics exposition; none by
     * default.
     *
     * @return the read-only resources transports serve beside the API, such as a metrics
     *     exposition; none by default
     */
    default List<dev.muster.spi.transport.Exposition> expositions() {
        return List.of();
    }

    // ---- operations ----

    /**
     * Tells whether the coordinator can serve requests now: it is running and its store can
     * serve (see {@link dev.muster.spi.store.Store#checkHealth()}). Meant for readiness probes:
     * the answer is kept for about a second, so probes at any rate reach the store at most once a
     * second, and a probe does not wait for one already under way. Never throws.
     *
     * @return ready, or not ready with a reason safe to show to anyone
     */
    Readiness readiness();
}
