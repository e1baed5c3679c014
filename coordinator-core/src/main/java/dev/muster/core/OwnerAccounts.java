package dev.muster.core;

import dev.muster.spi.Digests;
import dev.muster.spi.InvalidRequestException;
import dev.muster.spi.Limits;
import dev.muster.spi.OwnerAccount;
import dev.muster.spi.OwnerCredentials;
import dev.muster.spi.OwnerExistsException;
import dev.muster.spi.OwnerState;
import dev.muster.spi.Registration;
import dev.muster.spi.RegistrationRefusedException;
import dev.muster.spi.UnknownOwnerException;
import dev.muster.spi.Worker;
import dev.muster.spi.WorkerState;
import dev.muster.spi.store.Store;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owner accounts: who may create them (an admin, or anyone where sign-up is open), what a
 * registration must show where owners are verified (the account's name and secret), how many new
 * keys an owner may register per hour, and bans that reach every key of an owner.
 *
 * <p>Secrets are 32 random bytes made here and shown once; the store keeps their SHA-256 only. A
 * fast hash suffices because the secrets are random and long, not chosen by people: there is no
 * dictionary to try, and 2^256 guesses are out of reach however fast each is.
 */
final class OwnerAccounts {
    private static final Logger LOG = LoggerFactory.getLogger(OwnerAccounts.class);
    /** Marks a string as an owner secret, so one pasted where it does not belong is recognised. */
    static final String SECRET_PREFIX = "mo_";
    /** Most of an owner's workers read to count its new keys of the last hour. */
    private static final int RECENT_SCAN = 10_000;
    private static final int BAN_BATCH = 100_000;

    private final Store store;
    private final boolean verified;
    private final boolean openSignUp;
    private final int newKeysPerHour;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param verified       whether registrations must show an owner account and its secret
     * @param openSignUp     whether anyone may create an account ({@link #signUp})
     * @param newKeysPerHour new keys an owner may register per hour where owners are verified; 0 for no limit
     */
    OwnerAccounts(Store store, boolean verified, boolean openSignUp, int newKeysPerHour) {
        this.store = store;
        this.verified = verified;
        this.openSignUp = openSignUp;
        this.newKeysPerHour = newKeysPerHour;
    }

    boolean verified() {
        return verified;
    }

    OwnerCredentials create(String name, Instant now) {
        Limits.OWNER.text(name);
        if (name.startsWith(Submissions.RESERVED_PREFIX)) {
            throw new InvalidRequestException("owner names starting with '" + Submissions.RESERVED_PREFIX
                    + "' are reserved");
        }
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String secret = SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        if (!store.createOwner(new OwnerAccount(name, hash(secret), OwnerState.ACTIVE, "", now))) {
            throw new OwnerExistsException("an owner account named '" + name + "' exists");
        }
        LOG.info("owner account '{}' created", name);
        return new OwnerCredentials(name, secret);
    }

    OwnerCredentials signUp(String name, Instant now) {
        if (!openSignUp) {
            throw new RegistrationRefusedException("this pool takes no sign-ups; its operator creates owner accounts");
        }
        return create(name, now);
    }

    /**
     * Checks a registration's owner: never a banned account; where owners are verified, an account
     * whose secret the registration shows, with room for a new key this hour.
     *
     * @param newKey whether the key registers for the first time
     * @throws RegistrationRefusedException if the owner may not register this key now
     */
    void admit(Registration r, boolean newKey, Instant now) {
        Optional<OwnerAccount> account = store.owner(r.owner());
        if (account.isPresent() && account.get().state() == OwnerState.BANNED) {
            throw new RegistrationRefusedException("owner '" + r.owner() + "' is banned");
        }
        if (!verified) {
            return;
        }
        // One answer for an unknown name and a wrong secret: the refusal tells a guesser nothing.
        if (account.isEmpty() || r.ownerSecret() == null || !matches(account.get(), r.ownerSecret())) {
            throw new RegistrationRefusedException("workers of this pool register with an owner account's name and"
                    + " secret, and '" + r.owner() + "' with this secret is none");
        }
        if (newKey && newKeysPerHour > 0) {
            Instant since = now.minus(Duration.ofHours(1));
            long recent = store.workersOf(r.owner(), RECENT_SCAN).stream()
                    .filter(w -> w.registeredAt().isAfter(since)).count();
            if (recent >= newKeysPerHour) {
                throw new RegistrationRefusedException("owner '" + r.owner() + "' registered " + recent
                        + " new keys in the last hour, the most it may; try again later");
            }
        }
    }

    /** Bans the account, then every key of it through {@code banKey}. @return the account, banned */
    OwnerAccount ban(String name, String reason, Instant now, KeyBan banKey) {
        Limits.BAN_REASON.text(reason);
        OwnerAccount banned = store.setOwnerState(name, OwnerState.BANNED, reason)
                .orElseThrow(() -> new UnknownOwnerException("there is no owner account '" + name + "'"));
        LOG.warn("owner '{}' banned: {}", name, reason);
        for (Worker w : store.workersOf(name, BAN_BATCH)) {
            if (w.state() != WorkerState.BANNED) {
                banKey.ban(w, "owner '" + name + "' banned: " + reason, now);
            }
        }
        return banned;
    }

    /** How a key of a banned owner is banned. */
    @FunctionalInterface
    interface KeyBan {
        void ban(Worker worker, String reason, Instant now);
    }

    static String hash(String secret) {
        return Digests.sha256Hex(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** Constant time in the secret's content, so that timing does not leak how much of a guess was right. */
    private static boolean matches(OwnerAccount account, String secret) {
        return MessageDigest.isEqual(account.secretHash().getBytes(StandardCharsets.US_ASCII),
                hash(secret).getBytes(StandardCharsets.US_ASCII));
    }
}
