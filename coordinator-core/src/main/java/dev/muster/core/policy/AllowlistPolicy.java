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
import dev.muster.spi.store.Store;
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
 * off a worker that is already registered, ban it. Once a coordinator is built with the policy,
 * the list lives in the coordinator's store ({@link #keepIn}): keys added and removed survive a
 * restart, and coordinators on one database share them. The keys the policy was made with
 * (settings {@code trust.keys} and {@code trust.keysFile}) are added at every start, so a key to
 * remove for good comes out of the settings too.
 */
public final class AllowlistPolicy implements TrustPolicy, Allowlist {
    private final List<PublicKey> initial;
    /** Until the policy is kept in a store: its own list, for a policy used on its own. */
    private final Set<WorkerId> allowed = ConcurrentHashMap.newKeySet();
    private volatile Store store;

    /** @param keys the public keys allowed at start */
    public AllowlistPolicy(Collection<PublicKey> keys) {
        this.initial = List.copyOf(keys);
        initial.forEach(k -> allowed.add(WorkerId.of(k)));
    }

    /**
     * Keeps the list in {@code store} from now on, after adding the keys the policy was made with.
     * The coordinator calls it when it is built.
     *
     * @param store the coordinator's store
     */
    public void keepIn(Store store) {
        initial.forEach(store::allowKey);
        this.store = store;
    }

    @Override
    public boolean allow(PublicKey key) {
        Store s = store;
        return s != null ? s.allowKey(key) : allowed.add(WorkerId.of(key));
    }

    /**
     * Takes a key off the list; a key the settings list cannot be, since each start adds it again.
     *
     * @throws dev.muster.spi.InvalidRequestException if the settings list the key
     */
    @Override
    public boolean revoke(WorkerId worker) {
        if (initial.stream().anyMatch(k -> WorkerId.of(k).equals(worker))) {
            throw new dev.muster.spi.InvalidRequestException("the key of worker " + worker + " is listed by the"
                    + " settings (trust.keys or trust.keysFile), and each start lists it again: remove it there");
        }
        Store s = store;
        return s != null ? s.revokeKey(worker) : allowed.remove(worker);
    }

    /**
     * Tells whether a key may register.
     *
     * @param id the key, by its worker id
     * @return whether it is on the list
     */
    public boolean isAllowed(WorkerId id) {
        Store s = store;
        return s != null ? s.isAllowed(id) : allowed.contains(id);
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
        if (!isAllowed(id)) {
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
        return "AllowlistPolicy[" + initial.size() + " keys at start" + (store == null ? "" : ", kept in the store") + "]";
    }
}
