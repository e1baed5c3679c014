package dev.muster.core;

import dev.muster.spi.Validator;
import dev.muster.spi.policy.TrustPolicy;
import dev.muster.spi.store.Store;
import java.security.KeyPair;
import java.util.Map;

/**
 * The collaborators a {@link Coordinator} hands its calls to, made and wired once: each owns one
 * concern (see the coordinator's documentation), and together they hold no state the store does
 * not, apart from caches, throttles and the rejection log's counts.
 */
final class Engine {
    final StoreWatch storeWatch;
    final Listeners listeners;
    final RejectionLog rejectionLog;
    final LeaseThrottle leaseThrottle;
    final Events events;
    final OwnerAccounts owners;
    final Registrar registrar;
    final WorkerStates workers;
    final Dispatch dispatch;
    final ResultIntake intake;
    final Submissions submissions;
    final Housekeeping housekeeping;
    final PoolStatusReads status;

    /** @param workArrived told when work returns to the queue, to wake long polls */
    Engine(CoordinatorSettings settings, Store store, TrustPolicy policy, Map<String, Validator> validators,
           Listeners listeners, KeyPair signingKey, ChallengeIssuer challenges, Runnable workArrived) {
        this.listeners = listeners;
        this.storeWatch = new StoreWatch(store, settings.clock());
        this.rejectionLog = new RejectionLog(store, listeners, settings.rejectionsPerMinute());
        this.leaseThrottle = new LeaseThrottle(settings.workerLeaseRate(), settings.ownerLeaseRate(), settings.clock());
        this.events = new Events(listeners, rejectionLog, workArrived);
        this.owners = new OwnerAccounts(store, settings.verifiedOwners(), settings.openSignUp(),
                settings.newKeysPerOwnerHour());
        this.registrar = new Registrar(store, policy, challenges, settings.allowedClientBuilds(), owners);
        this.workers = new WorkerStates(store, policy, events, owners.verified());
        this.dispatch = new Dispatch(settings, store, policy, new Signatures.Signer(signingKey), workers, leaseThrottle,
                events);
        this.intake = new ResultIntake(settings, store, policy, validators, rejectionLog, registrar, workers, events,
                new SpotChecks(store, policy, events, settings.random()));
        this.submissions = new Submissions(settings, store, policy, validators, events);
        this.housekeeping = new Housekeeping(settings, store, storeWatch, rejectionLog, events,
                new Backtracking(store, policy, events, workers));
        this.status = new PoolStatusReads(store, settings.clock());
        if (policy instanceof dev.muster.core.policy.AllowlistPolicy allowlist) {
            // A trusted pool's list outlives the process, and coordinators on one store share it.
            allowlist.keepIn(store);
        }
    }
}
