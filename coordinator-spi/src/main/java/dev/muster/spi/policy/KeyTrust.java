package dev.muster.spi.policy;

import dev.muster.spi.Checks;
import dev.muster.spi.Limits;
import dev.muster.spi.WorkerId;
import java.time.Instant;

/**
 * The standing of one worker key in an open pool, as a store keeps it: the hidden spot-checks it
 * passed since its last strike, the strikes it took (results that lost a dispute), whether it is
 * banned, and whether the results of a banned key have been reconsidered. A trust policy turns it
 * into a credibility; a key the store never judged stands as a {@link #newcomer}.
 *
 * @param worker      the key
 * @param passed      hidden spot-checks passed since the last strike
 * @param strikes     disputes lost
 * @param bannedAt    when the key was banned, or null
 * @param banReason   why, or empty
 * @param backtracked whether every job that relied on a result of this banned key was decided
 *                    again; always false for a key that is not banned
 * @param updatedAt   when the standing last changed, or null for a newcomer never judged
 */
public record KeyTrust(WorkerId worker, long passed, int strikes, Instant bannedAt, String banReason,
                       boolean backtracked, Instant updatedAt) {
    /**
     * Checks the standing; a ban reason longer than {@link Limits#FAILURE_REASON} is truncated.
     *
     * @param worker      the key; not null
     * @param passed      spot-checks passed since the last strike, not negative
     * @param strikes     disputes lost, not negative
     * @param bannedAt    when the key was banned, or null
     * @param banReason   why; not null, empty unless banned
     * @param backtracked true only for a banned key
     * @param updatedAt   when the standing last changed, or null
     * @throws dev.muster.spi.InvalidRequestException if a count is negative or a field missing
     */
    public KeyTrust {
        Checks.notNull(worker, "worker");
        Checks.range(passed, "passed", 0, Long.MAX_VALUE);
        Checks.range(strikes, "strikes", 0, Integer.MAX_VALUE);
        banReason = Limits.FAILURE_REASON.fit(Checks.notNull(banReason, "banReason"));
        if (bannedAt == null && (backtracked || !banReason.isEmpty())) {
            throw new dev.muster.spi.InvalidRequestException("only a banned key has a ban reason or is backtracked");
        }
    }

    /**
     * Returns the standing of a key nobody has judged yet.
     *
     * @param worker the key; not null
     * @return the standing of a key nobody has judged yet
     */
    public static KeyTrust newcomer(WorkerId worker) {
        return new KeyTrust(worker, 0, 0, null, "", false, null);
    }

    /**
     * Returns whether the key is banned.
     *
     * @return whether the key is banned
     */
    public boolean banned() {
        return bannedAt != null;
    }

    /**
     * Returns this standing after one more passed spot-check.
     *
     * @param at when the spot-check was passed
     * @return this standing after one more passed spot-check
     */
    public KeyTrust pass(Instant at) {
        return new KeyTrust(worker, passed + 1, strikes, bannedAt, banReason, backtracked, at);
    }

    /**
     * Returns this standing after a lost dispute: one more strike, and the passes start again from none.
     *
     * @param at when the dispute was lost
     * @return this standing after a lost dispute: one more strike, and the passes start again from none
     */
    public KeyTrust strike(Instant at) {
        return new KeyTrust(worker, 0, strikes + 1, bannedAt, banReason, backtracked, at);
    }

    /**
     * Returns this key tainted by another key of its owner that was banned: its passes start again
     * from none, so it counts as a newcomer until it has earned its weight anew.
     *
     * @param at when the other key was banned
     * @return the tainted standing; a banned key keeps its standing
     */
    public KeyTrust taint(Instant at) {
        return banned() ? this : new KeyTrust(worker, 0, strikes, bannedAt, banReason, backtracked, at);
    }

    /**
     * Returns this standing with one strike fewer (none stays none); the passes a strike reset stay reset.
     *
     * @param at when the strike was forgiven
     * @return this standing with one strike fewer (none stays none); the passes a strike reset stay reset
     */
    public KeyTrust forgive(Instant at) {
        return strikes == 0 ? this : new KeyTrust(worker, passed, strikes - 1, bannedAt, banReason, backtracked, at);
    }

    /**
     * Returns this standing banned for {@code reason}; a key banned already keeps its first ban.
     *
     * @param reason why; not null, truncated to {@link Limits#FAILURE_REASON}
     * @param at     when the key is banned
     * @return this standing banned for {@code reason}; a key banned already keeps its first ban
     */
    public KeyTrust ban(String reason, Instant at) {
        if (banned()) {
            return this;
        }
        return new KeyTrust(worker, passed, strikes, at, reason, false, at);
    }

    /**
     * Returns this key reinstated by an admin: no longer banned, its passes starting again from none,
     * its strikes kept on record.
     *
     * @param at when the key was reinstated
     * @return the reinstated standing
     */
    public KeyTrust reinstate(Instant at) {
        return new KeyTrust(worker, 0, strikes, null, "", false, at);
    }

    /**
     * Returns this banned key with its results reconsidered.
     *
     * @param at when the last job that relied on the key was decided again
     * @return this banned key with its results reconsidered
     * @throws IllegalStateException if the key is not banned
     */
    public KeyTrust markBacktracked(Instant at) {
        if (!banned()) {
            throw new IllegalStateException("key " + worker + " is not banned");
        }
        return new KeyTrust(worker, passed, strikes, bannedAt, banReason, true, at);
    }
}
