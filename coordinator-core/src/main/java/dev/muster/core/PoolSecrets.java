package dev.muster.core;

import dev.muster.spi.ConfigurationException;
import dev.muster.spi.InvalidRequestException;
import dev.muster.spi.Keys;
import dev.muster.spi.store.SharedSecrets;
import dev.muster.spi.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;

/**
 * Where a coordinator's ticket-signing key and challenge secret come from: what the embedder set,
 * else a key file, else the store, which keeps the first value any coordinator of the pool offers
 * ({@link Store#sharedSecret}). So coordinators on one database sign with one key that workers
 * pin, and accept each other's challenges, with nothing to configure; a memory store's pool gets
 * fresh ones at every start, as it gets a fresh pool.
 *
 * @param signingKey      the key pair that signs ticket batches
 * @param challengeSecret the HMAC secret of registration challenges
 */
record PoolSecrets(KeyPair signingKey, byte[] challengeSecret) {
    /**
     * @param key    the key set or read from a file, or null to take the store's
     * @param secret the challenge secret set, or null to take the store's
     * @param owned  whether the store is the coordinator's to close if this fails
     * @return the secrets the coordinator starts with
     */
    static PoolSecrets resolve(KeyPair key, byte[] secret, Store store, boolean owned) {
        try {
            return new PoolSecrets(key != null ? key : signingKey(store),
                    secret != null ? secret : challengeSecret(store));
        } catch (RuntimeException e) {
            if (owned) {
                store.close();
            }
            throw e;
        }
    }

    /** @return the key file's pair; a file that cannot be used is a configuration error */
    static KeyPair fromFile(Path file) {
        try {
            return Keys.loadOrCreate(file);
        } catch (IOException | InvalidRequestException e) {
            throw new ConfigurationException("signing.keyFile " + file + " cannot be used: " + e.getMessage());
        }
    }

    /** @return the pool's ticket-signing key as the store keeps it */
    static KeyPair signingKey(Store store) {
        byte[] kept = store.sharedSecret(SharedSecrets.TICKET_SIGNING_KEY,
                Keys.toPem(Keys.generate()).getBytes(StandardCharsets.US_ASCII));
        try {
            return Keys.pairFromPem(new String(kept, StandardCharsets.US_ASCII));
        } catch (InvalidRequestException e) {
            throw new ConfigurationException("the ticket-signing key kept in the store cannot be used: "
                    + e.getMessage());
        }
    }

    /** @return the pool's challenge secret as the store keeps it */
    static byte[] challengeSecret(Store store) {
        byte[] candidate = new byte[32];
        new SecureRandom().nextBytes(candidate);
        return store.sharedSecret(SharedSecrets.CHALLENGE_SECRET, candidate);
    }
}
