package dev.muster.core.policy;

import dev.muster.spi.Job;
import dev.muster.spi.JobSpec;
import dev.muster.spi.Registration;
import dev.muster.spi.RegistrationRefusedException;
import dev.muster.spi.WorkerId;
import dev.muster.spi.policy.Allowlist;
import dev.muster.spi.policy.Decision;
import dev.muster.spi.policy.StoredResult;
import dev.muster.spi.policy.TrustPolicy;
import java.security.PublicKey;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The trusted pool: only workers whose public keys are on the list may register, each job runs
 * once, and one result that its validator accepts decides it.
 *
 * <p>The list may change while the pool runs. Removing a key stops it registering again; to cut
 * off a worker that is already registered, ban it.
 */
public final class AllowlistPolicy implements TrustPolicy, Allowlist {
    private final Set<WorkerId> allowed = ConcurrentHashMap.newKeySet();

    /** @param keys the public keys allowed at start */
    public AllowlistPolicy(Collection<PublicKey> keys) {
        keys.forEach(this::allow);
    }

    @Override
    public boolean allow(PublicKey key) {
        return allowed.add(WorkerId.of(key));
    }

    @Override
    public boolean revoke(PublicKey key) {
        return allowed.remove(WorkerId.of(key));
    }

    /** @return whether the worker with this id may register */
    public boolean isAllowed(WorkerId id) {
        return allowed.contains(id);
    }

    @Override
    public Optional<Allowlist> allowlist() {
        return Optional.of(this);
    }

    @Override
    public String name() {
        return "allowlist";
    }

    @Override
    public void admit(Registration registration, WorkerId id) {
        if (!allowed.contains(id)) {
            throw new RegistrationRefusedException("the public key of worker " + id + " (owner '"
                    + registration.owner() + "') is not on the allowlist of this trusted pool");
        }
    }

    @Override
    public int initialReplicas(JobSpec spec) {
        return 1;
    }

    @Override
    public boolean distinctOwners() {
        return false;
    }

    @Override
    public Decision decide(Job job, List<StoredResult> results) {
        for (StoredResult r : results) {
            if (r.valid()) {
                return new Decision.Accept(r.resultDigest(), r.claimedCredit());
            }
        }
        return new Decision.Wait();
    }

    @Override
    public String toString() {
        return "AllowlistPolicy[" + allowed.size() + " keys]";
    }
}
