package dev.muster.spi.store;

import dev.muster.spi.Checks;
import dev.muster.spi.InvalidRequestException;

/** The names and limits of the secrets coordinators share through their store ({@link Store#sharedSecret}). */
public final class SharedSecrets {
    /** The ticket-signing key pair, as PEM text. */
    public static final String TICKET_SIGNING_KEY = "ticket-signing-key";
    /** The HMAC secret of registration challenges. */
    public static final String CHALLENGE_SECRET = "challenge-secret";
    /** Longest name. */
    public static final int MAX_NAME = 64;
    /** Largest value. */
    public static final int MAX_BYTES = 8_192;

    private SharedSecrets() {}

    /**
     * Checks a call of {@link Store#sharedSecret}, for stores to do before anything else.
     *
     * @param name      the secret's name, 1 to {@value #MAX_NAME} characters
     * @param candidate the value offered, 1 to {@value #MAX_BYTES} bytes
     * @throws InvalidRequestException if the name or the candidate is out of range
     */
    public static void check(String name, byte[] candidate) {
        Checks.text(name, "secret name", MAX_NAME);
        Checks.notNull(candidate, "candidate");
        Checks.range(candidate.length, "candidate length", 1, MAX_BYTES);
    }
}
