package dev.muster.spi;

import java.security.PublicKey;

/**
 * Identity of a worker: the first 16 bytes of the SHA-256 of its public key's X.509 encoding, in
 * lower-case hex. Deriving it from the key means a worker cannot claim another's identity without
 * that worker's private key.
 *
 * @param value 32 lower-case hex characters
 */
public record WorkerId(String value) {
    /**
     * Checks the value.
     *
     * @param value 32 lower-case hex characters
     * @throws InvalidRequestException if {@code value} is not 32 lower-case hex characters
     */
    public WorkerId {
        Checks.notNull(value, "worker id");
        if (value.length() != 32 || !Digests.isLowerHex(value)) {
            throw new InvalidRequestException("worker id must be 32 lower-case hex characters, was '"
                    + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + "'");
        }
    }

    /**
     * Returns the id of the worker that holds the private half of {@code publicKey}.
     *
     * @param publicKey the worker's public key; not null
     * @return the id of the worker that holds the private half of {@code publicKey}
     */
    public static WorkerId of(PublicKey publicKey) {
        Checks.notNull(publicKey, "public key");
        return new WorkerId(Digests.sha256Hex(publicKey.getEncoded()).substring(0, 32));
    }

    @Override
    public String toString() {
        return value;
    }
}
