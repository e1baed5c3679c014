package dev.muster.spi.store;

import dev.muster.spi.Capabilities;
import dev.muster.spi.Checks;
import dev.muster.spi.WorkerId;
import java.time.Instant;

/**
 * A worker's request for work, with the limits the store must enforce atomically.
 *
 * @param worker         who asks
 * @param owner          the worker's owner
 * @param capabilities   what it offers; only jobs whose requirements it satisfies are leased
 * @param max            most leases to return
 * @param workerLimit    most leases the worker may hold in all, counting those it holds
 * @param ownerLimit     most leases all of the owner's workers may hold in all
 * @param distinctOwners whether a job's replicas must go to different owners
 * @param now            the lease time; each deadline is {@code now} plus the job's timeout
 * @param sparesAttempts whether these leases, if they end without a valid result (expired, given
 *                       up as failed), cost their jobs no attempt: the trust policy does not hold
 *                       the worker to account yet ({@link dev.muster.spi.policy.TrustPolicy#countsAttempt})
 * @param onlySpotChecks whether only {@linkplain SpotCheck spot-checks} may be leased (for a key on
 *                       probation, {@link dev.muster.spi.policy.TrustPolicy#probation()}); otherwise
 *                       spot-checks and ordinary jobs alike, in queue order
 */
public record LeaseRequest(WorkerId worker, String owner, Capabilities capabilities, int max, int workerLimit,
                           int ownerLimit, boolean distinctOwners, Instant now, boolean sparesAttempts,
                           boolean onlySpotChecks) {
    /**
     * Checks the request.
     *
     * @param worker         who asks; not null
     * @param owner          the worker's owner; not null
     * @param capabilities   what it offers; not null
     * @param max            most leases to return, at least 1
     * @param workerLimit    most leases the worker may hold in all, at least 1
     * @param ownerLimit     most leases the owner's workers may hold in all, at least 1
     * @param distinctOwners whether a job's replicas must go to different owners
     * @param now            the lease time; not null
     * @param sparesAttempts whether these leases cost their jobs no attempt
     * @param onlySpotChecks whether only spot-checks may be leased
     * @throws dev.muster.spi.InvalidRequestException if a field is missing or not positive
     */
    public LeaseRequest {
        Checks.notNull(worker, "worker");
        Checks.notNull(owner, "owner");
        Checks.notNull(capabilities, "capabilities");
        Checks.range(max, "max", 1, Integer.MAX_VALUE);
        Checks.range(workerLimit, "workerLimit", 1, Integer.MAX_VALUE);
        Checks.range(ownerLimit, "ownerLimit", 1, Integer.MAX_VALUE);
        Checks.notNull(now, "now");
    }

    /**
     * A request for any job, spot-check or not.
     *
     * @param worker         who asks; not null
     * @param owner          the worker's owner; not null
     * @param capabilities   what it offers; not null
     * @param max            most leases to return, at least 1
     * @param workerLimit    most leases the worker may hold in all, at least 1
     * @param ownerLimit     most leases the owner's workers may hold in all, at least 1
     * @param distinctOwners whether a job's replicas must go to different owners
     * @param now            the lease time; not null
     * @param sparesAttempts whether these leases cost their jobs no attempt
     */
    public LeaseRequest(WorkerId worker, String owner, Capabilities capabilities, int max, int workerLimit,
                        int ownerLimit, boolean distinctOwners, Instant now, boolean sparesAttempts) {
        this(worker, owner, capabilities, max, workerLimit, ownerLimit, distinctOwners, now, sparesAttempts, false);
    }

    /**
     * Returns this request for spot-checks only.
     *
     * @return this request for spot-checks only
     */
    public LeaseRequest spotChecksOnly() {
        return new LeaseRequest(worker, owner, capabilities, max, workerLimit, ownerLimit, distinctOwners, now,
                sparesAttempts, true);
    }

    /**
     * A request whose leases cost an attempt when they end without a valid result.
     *
     * @param worker         who asks; not null
     * @param owner          the worker's owner; not null
     * @param capabilities   what it offers; not null
     * @param max            most leases to return, at least 1
     * @param workerLimit    most leases the worker may hold in all, at least 1
     * @param ownerLimit     most leases the owner's workers may hold in all, at least 1
     * @param distinctOwners whether a job's replicas must go to different owners
     * @param now            the lease time; not null
     */
    public LeaseRequest(WorkerId worker, String owner, Capabilities capabilities, int max, int workerLimit,
                        int ownerLimit, boolean distinctOwners, Instant now) {
        this(worker, owner, capabilities, max, workerLimit, ownerLimit, distinctOwners, now, false);
    }
}
