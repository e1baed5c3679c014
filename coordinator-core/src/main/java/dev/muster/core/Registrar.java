package dev.muster.core;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.muster.spi.BadSignatureException;
import dev.muster.spi.Challenge;
import dev.muster.spi.Registration;
import dev.muster.spi.RegistrationRefusedException;
import dev.muster.spi.UnknownWorkerException;
import dev.muster.spi.Worker;
import dev.muster.spi.WorkerId;
import dev.muster.spi.WorkerState;
import dev.muster.spi.policy.TrustPolicy;
import dev.muster.spi.store.Store;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets workers in: issues registration challenges, checks a registration's proof, client build,
 * ban and the trust policy's admission, and keeps the decoded public keys that result signatures
 * are verified with, so a key is decoded once per worker rather than once per report.
 */
final class Registrar {
    private static final Logger LOG = LoggerFactory.getLogger(Registrar.class);
    /** Decoded worker keys kept, about 100 bytes each. */
    static final int KEYS_CACHED = 100_000;

    private final Store store;
    private final TrustPolicy policy;
    private final OwnerAccounts owners;
    private final ChallengeIssuer challenges;
    private final Set<String> allowedClientBuilds;
    /**
     * Decoded keys of recent workers. Bounded, because an open pool's churning keys would grow it
     * without end; never stale, because a worker's id is derived from its key.
     */
    private final Cache<WorkerId, Ed25519PublicKeyParameters> keys = Caffeine.newBuilder()
            .maximumSize(KEYS_CACHED).build();

    /** @param allowedClientBuilds builds a worker must report one of; any build when empty */
    Registrar(Store store, TrustPolicy policy, ChallengeIssuer challenges, Set<String> allowedClientBuilds,
              OwnerAccounts owners) {
        this.store = store;
        this.policy = policy;
        this.owners = owners;
        this.challenges = challenges;
        this.allowedClientBuilds = allowedClientBuilds;
    }

    Challenge challenge(Instant now) {
        return challenges.issue(now);
    }

    Worker register(Registration registration, Instant now) {
        Ed25519PublicKeyParameters key = Signatures.publicKey(registration.publicKey());
        WorkerId id = WorkerId.of(registration.publicKey());
        String stale = challenges.problem(registration.challenge(), now);
        if (stale != null) {
            throw new BadSignatureException(stale);
        }
        if (!Signatures.verify(key, registration.signedBytes(), registration.signature())) {
            throw new BadSignatureException("registration proof of worker " + id
                    + " does not verify against its public key");
        }
        if (!allowedClientBuilds.isEmpty() && !allowedClientBuilds.contains(registration.clientBuild())) {
            throw new RegistrationRefusedException("client build '" + registration.clientBuild()
                    + "' of worker " + id + " is not one of the allowed builds");
        }
        Optional<Worker> existing = store.worker(id);
        if (existing.isPresent() && existing.get().state() == WorkerState.BANNED) {
            throw new RegistrationRefusedException("worker " + id + " is banned");
        }
        owners.admit(registration, existing.isEmpty(), now);
        policy.admit(registration, id);
        // An admin's drain outlasts re-registration; anything else (offline, left) starts afresh.
        WorkerState state = existing.isPresent() && existing.get().state() == WorkerState.DRAINING
                ? WorkerState.DRAINING : WorkerState.ACTIVE;
        Worker worker = new Worker(id, registration.publicKey(), registration.owner(), registration.capabilities(),
                registration.clientBuild(), registration.maxConcurrentLeases(), state,
                existing.map(Worker::registeredAt).orElse(now), now);
        store.saveWorker(worker);
        keys.put(id, key);
        LOG.info("worker {} of owner '{}' registered ({} cores, build {}){}", id, worker.owner(),
                worker.capabilities().cores(), worker.clientBuild(),
                state == WorkerState.DRAINING ? "; it stays drained until an admin resumes it" : "");
        return worker;
    }

    /**
     * @return the decoded public key of a registered worker, read from the store the first time
     * @throws UnknownWorkerException if the worker never registered
     */
    Ed25519PublicKeyParameters keyOf(WorkerId id) {
        Ed25519PublicKeyParameters cached = keys.getIfPresent(id);
        return cached != null ? cached : keyOf(store.worker(id).orElseThrow(
                () -> new UnknownWorkerException("worker " + id + " is not registered")));
    }

    /** @return the worker's decoded public key; decoded from the stored worker if another coordinator registered it */
    Ed25519PublicKeyParameters keyOf(Worker w) {
        return keys.get(w.id(), id -> Signatures.publicKey(w.publicKey()));
    }
}
