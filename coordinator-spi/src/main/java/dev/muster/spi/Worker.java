package dev.muster.spi;

import java.security.PublicKey;
import java.time.Instant;

/**
 * A registered worker. One owner (a contributor account) may run many workers.
 *
 * @param id                  derived from the public key
 * @param publicKey           Ed25519 public key that signs the worker's results
 * @param owner               contributor account the worker's credit also goes to
 * @param capabilities        what it offers
 * @param clientBuild         digest of its client build, checked against an allowed set if one is set
 * @param maxConcurrentLeases most leases it may hold at once
 * @param state               health and standing
 * @param registeredAt        first registration
 * @param lastSeen            last heartbeat, lease or report
 */
public record Worker(
        WorkerId id,
        PublicKey publicKey,
        String owner,
        Capabilities capabilities,
        String clientBuild,
        int maxConcurrentLeases,
        WorkerState state,
        Instant registeredAt,
        Instant lastSeen) {

    /**
     * Checks the worker against {@link Limits}.
     *
     * @param id                  derived from the public key; not null
     * @param publicKey           Ed25519 public key; not null
     * @param owner               contributor account, at most {@link Limits#OWNER} characters
     * @param capabilities        what it offers; not null
     * @param clientBuild         digest of its client build, at most {@link Limits#CLIENT_BUILD} characters
     * @param maxConcurrentLeases from 1 to 100,000
     * @param state               health and standing; not null
     * @param registeredAt        first registration; not null
     * @param lastSeen            last heartbeat, lease or report; not null
     * @throws InvalidRequestException if a field is missing or out of range, or the id does not match the key
     */
    public Worker {
        Checks.notNull(id, "id");
        Checks.notNull(publicKey, "publicKey");
        Limits.OWNER.text(owner);
        Checks.notNull(capabilities, "capabilities");
        Limits.CLIENT_BUILD.text(clientBuild);
        Checks.range(maxConcurrentLeases, "maxConcurrentLeases", 1, 100_000);
        Checks.notNull(state, "state");
        Checks.notNull(registeredAt, "registeredAt");
        Checks.notNull(lastSeen, "lastSeen");
    }

    /**
     * Returns this worker in {@code newState}.
     *
     * @param newState the state to put it in; not null
     * @return this worker in {@code newState}
     */
    public Worker withState(WorkerState newState) {
        return new Worker(id, publicKey, owner, capabilities, clientBuild, maxConcurrentLeases, newState,
                registeredAt, lastSeen);
    }

    /**
     * Returns this worker last seen at {@code at}.
     *
     * @param at when it was last heard from; not null
     * @return this worker last seen at {@code at}
     */
    public Worker withLastSeen(Instant at) {
        return new Worker(id, publicKey, owner, capabilities, clientBuild, maxConcurrentLeases, state,
                registeredAt, at);
    }
}
