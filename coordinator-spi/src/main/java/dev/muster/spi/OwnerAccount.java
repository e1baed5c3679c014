package dev.muster.spi;

import java.time.Instant;

/**
 * An owner account: the contributor a worker proves it belongs to with the account's secret, so
 * that credit and the rule "one replica per owner" count owners nobody can simply declare. The
 * secret itself is never kept, only its SHA-256.
 *
 * @param name       the owner's name, as workers and the leaderboard show it
 * @param secretHash SHA-256 of the secret, lower-case hex
 * @param state      whether the account may run workers
 * @param reason     why it was banned, or empty
 * @param createdAt  when it was created
 */
public record OwnerAccount(String name, String secretHash, OwnerState state, String reason, Instant createdAt) {
    /**
     * Checks the account; a reason longer than {@link Limits#BAN_REASON} is truncated.
     *
     * @param name       at most {@link Limits#OWNER} characters
     * @param secretHash 64 lower-case hex characters
     * @param state      whether the account may run workers; not null
     * @param reason     why it was banned; not null, empty when it was not
     * @param createdAt  when it was created; not null
     * @throws InvalidRequestException if a field is missing or out of range
     */
    public OwnerAccount {
        Limits.OWNER.text(name);
        Checks.notNull(secretHash, "secretHash");
        if (!secretHash.matches("[0-9a-f]{64}")) {
            throw new InvalidRequestException("secretHash must be 64 lower-case hex digits");
        }
        Checks.notNull(state, "state");
        reason = Limits.BAN_REASON.fit(Checks.notNull(reason, "reason"));
        Checks.notNull(createdAt, "createdAt");
    }

    /**
     * Returns this account in {@code newState}, with {@code why}.
     *
     * @param newState the new state; not null
     * @param why      why (a ban's reason), or empty; not null
     * @return this account in {@code newState}, with {@code why}
     */
    public OwnerAccount withState(OwnerState newState, String why) {
        return new OwnerAccount(name, secretHash, newState, why, createdAt);
    }

    /** Leaves the secret's hash out, so that logs never carry it. */
    @Override
    public String toString() {
        return "OwnerAccount[name=" + name + ", state=" + state + ", reason=" + reason + ", createdAt=" + createdAt
                + "]";
    }
}
