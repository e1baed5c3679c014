package dev.muster.spi;

import java.time.Instant;

/**
 * A registration challenge: the worker signs it (with its registration details, see
 * {@link SignedBytes#registration}) to prove it holds its private key.
 *
 * @param value     opaque bytes to sign; the coordinator can check it issued them
 * @param expiresAt after this instant the coordinator refuses a proof over this challenge
 */
public record Challenge(byte[] value, Instant expiresAt) {
    /**
     * Checks the challenge and copies its bytes.
     *
     * @param value     opaque bytes to sign; not null, copied
     * @param expiresAt when the challenge goes stale; not null
     * @throws InvalidRequestException if a field is null
     */
    public Challenge {
        value = Checks.notNull(value, "challenge").clone();
        Checks.notNull(expiresAt, "expiresAt");
    }

    /**
     * Returns a copy of the challenge bytes.
     *
     * @return a copy of the challenge bytes
     */
    @Override
    public byte[] value() {
        return value.clone();
    }
}
