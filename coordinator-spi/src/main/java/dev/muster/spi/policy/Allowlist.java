package dev.muster.spi.policy;

import dev.muster.spi.WorkerId;
import java.security.PublicKey;

/**
 * Edits the list of worker keys a trust policy admits, while the pool runs. A policy that keeps
 * such a list offers it through {@link TrustPolicy#allowlist()}; the coordinator's
 * {@code allow} and {@code revoke} calls go to it.
 *
 * <p>Removing a key stops its worker registering again; a worker already registered stays until
 * it is banned. Implementations must be thread-safe.
 */
public interface Allowlist {
    /**
     * Adds a key to the list.
     *
     * @param key the worker's public key
     * @return whether it was not listed before
     */
    boolean allow(PublicKey key);

    /**
     * Removes a key from the list.
     *
     * @param worker the key, by its worker id
     * @return whether it was listed
     */
    boolean revoke(WorkerId worker);

    /**
     * Removes a key from the list.
     *
     * @param key the worker's public key
     * @return whether it was listed
     */
    default boolean revoke(PublicKey key) {
        return revoke(WorkerId.of(key));
    }
}
