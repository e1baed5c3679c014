package dev.muster.core;

import dev.muster.spi.Checks;
import dev.muster.spi.InvalidRequestException;
import dev.muster.spi.Limits;
import dev.muster.spi.OwnerState;
import dev.muster.spi.ReleaseReason;
import dev.muster.spi.TicketRef;
import dev.muster.spi.UnknownWorkerException;
import dev.muster.spi.Worker;
import dev.muster.spi.WorkerBannedException;
import dev.muster.spi.WorkerId;
import dev.muster.spi.WorkerState;
import dev.muster.spi.policy.Allowlist;
import dev.muster.spi.policy.StoredResult;
import dev.muster.spi.policy.TrustPolicy;
import dev.muster.spi.store.Store;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A registered worker's state as its own calls and an admin's change it: signs of life, drain,
 * resume, leave, ban and reinstatement. Silence is judged elsewhere, by housekeeping's
 * {@link HealthSweep}; a sign of life seen here undoes what silence did.
 */
final class WorkerStates {
    /** Most keys of one owner tainted by a ban; an owner with more has them checked by spot-checks as ever. */
    private static final int TAINT_LIMIT = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(WorkerStates.class);

    private final Store store;
    private final TrustPolicy policy;
    private final Events events;
    private final boolean verifiedOwners;

    /** @param verifiedOwners whether owners are accounts workers prove, so a ban may taint the owner's other keys */
    WorkerStates(Store store, TrustPolicy policy, Events events, boolean verifiedOwners) {
        this.store = store;
        this.policy = policy;
        this.events = events;
        this.verifiedOwners = verifiedOwners;
    }

    Worker require(WorkerId id) {
        Checks.notNull(id, "worker id");
        return store.worker(id).orElseThrow(() -> new UnknownWorkerException("worker " + id + " is not registered"));
    }

    /** @return the trust policy's list of admitted keys, for a policy that keeps one */
    Allowlist allowlist() {
        return policy.allowlist().orElseThrow(() -> new InvalidRequestException("trust policy '" + policy.name()
                + "' keeps no allowlist"));
    }

    /** @return the worker, if it is registered and not banned */
    Worker requireUsable(WorkerId id) {
        Worker w = require(id);
        if (w.state() == WorkerState.BANNED) {
            throw new WorkerBannedException("worker " + id + " is banned");
        }
        return w;
    }

    /**
     * A sign of life brings a degraded or offline worker back; a draining one stays draining.
     * Health is judged in heartbeat intervals (30 s by default), so a worker seen within the last
     * second is not touched again: that keeps a store write off every lease and report.
     */
    Worker alive(Worker w, Instant now) {
        if (w.state() == WorkerState.ACTIVE && now.toEpochMilli() - w.lastSeen().toEpochMilli() < 1_000) {
            return w;
        }
        store.touch(w.id(), now);
        if (w.state() == WorkerState.DEGRADED || w.state() == WorkerState.OFFLINE) {
            return store.setWorkerState(w.id(), WorkerState.ACTIVE).orElse(w);
        }
        return w;
    }

    void drain(WorkerId worker) {
        Worker w = requireUsable(worker);
        store.setWorkerState(w.id(), WorkerState.DRAINING);
        LOG.info("worker {} is draining until an admin resumes it", worker);
    }

    Worker resume(WorkerId worker) {
        Worker w = require(worker);
        if (w.state() != WorkerState.DRAINING) {
            return w;
        }
        LOG.info("worker {} resumed", worker);
        return store.setWorkerState(w.id(), WorkerState.ACTIVE).orElse(w);
    }

    void leave(WorkerId worker) {
        Worker w = requireUsable(worker);
        // Leaving must not turn an admin's drain into something re-registering lifts.
        if (w.state() != WorkerState.DRAINING) {
            store.setWorkerState(w.id(), WorkerState.LEAVING);
            LOG.info("worker {} is leaving", worker);
        }
    }

    void reinstate(WorkerId worker, Instant now) {
        require(worker);
        if (policy.judgesKeys() && store.trust(worker).banned()) {
            store.updateTrust(worker, t -> t.reinstate(now));
        }
        letIn(worker, now);
    }

    /** An unbanned worker is active again, as of now (not offline because it was silent while banned). */
    private void letIn(WorkerId worker, Instant now) {
        store.setWorkerState(worker, WorkerState.ACTIVE);
        store.touch(worker, now);
    }

    /**
     * Lifts the ban a failed spot-check caused once its known answer proved wrong, as the policy
     * decides ({@link TrustPolicy#spotCheckVoided}); a key whose owner account is banned stays out.
     *
     * @param answer the key's answer to the voided spot-check
     * @return whether the key may work again
     */
    boolean spotCheckVoided(StoredResult answer, Instant now) {
        WorkerId worker = answer.worker();
        Worker w = store.worker(worker).orElse(null);
        if (w == null || w.state() != WorkerState.BANNED || !store.trust(worker).banned()
                || verifiedOwners && store.owner(w.owner()).map(o -> o.state() == OwnerState.BANNED).orElse(false)) {
            return false;
        }
        if (store.updateTrust(worker, t -> policy.spotCheckVoided(t, answer, now)).banned()) {
            return false;
        }
        letIn(worker, now);
        LOG.info("worker {} may work again: the spot-check job {} that banned it had a wrong known answer", worker,
                answer.jobId());
        return true;
    }

    void ban(WorkerId worker, String reason, Instant now) {
        Limits.BAN_REASON.text(reason);
        require(worker);
        if (policy.judgesKeys()) {
            // Kept with the key's standing too, so that its past results are backtracked.
            store.updateTrust(worker, t -> t.ban(reason, now));
        }
        store.setWorkerState(worker, WorkerState.BANNED);
        withdrawLeases(worker, now);
        LOG.warn("worker {} banned: {}", worker, reason);
        events.banned(worker, reason, now);
    }

    /** The trust policy banned these keys while their results were recorded: their leases go back, and it is announced. */
    void bannedByPolicy(List<WorkerId> banned, Instant now) {
        for (WorkerId worker : banned) {
            String reason = store.trust(worker).banReason();
            withdrawLeases(worker, now);
            LOG.warn("worker {} banned by the trust policy: {}", worker, reason);
            events.banned(worker, reason, now);
            taintOwner(worker, now);
        }
    }

    /**
     * A key caught cheating taints its owner: the owner's other keys start their passes again.
     * Only where owners are verified accounts; a declared name could be anybody's, and tainting by
     * it would let a cheat frame whoever it named.
     */
    private void taintOwner(WorkerId banned, Instant now) {
        if (!verifiedOwners) {
            return;
        }
        String owner = store.worker(banned).map(Worker::owner).orElse(null);
        if (owner == null) {
            return;
        }
        for (Worker other : store.workersOf(owner, TAINT_LIMIT)) {
            if (!other.id().equals(banned)) {
                store.updateTrust(other.id(), t -> t.taint(now));
            }
        }
    }

    /**
     * Takes a banned worker's leases back. Where the policy judges keys, a cheat's leases cost their
     * jobs no attempt: the jobs did nothing wrong.
     */
    private void withdrawLeases(WorkerId worker, Instant now) {
        if (!policy.judgesKeys()) {
            events.released(store.releaseLeases(worker, now, "worker banned"), now);
            return;
        }
        List<TicketRef> held = store.leases(worker).stream().map(l -> new TicketRef(l.jobId(), l.replica())).toList();
        if (!held.isEmpty()) {
            events.released(store.releaseLeases(worker, held, now, ReleaseReason.NOT_RUN, null), now);
        }
    }
}
