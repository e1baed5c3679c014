package dev.muster.spi.store;

import dev.muster.spi.Checks;
import dev.muster.spi.JobId;
import java.util.List;

/**
 * One page of backtracking a banned key: the accepted jobs that relied on its results, decided
 * again.
 *
 * @param retractions jobs whose acceptance this page took back
 * @param last        the last job this page looked at, to continue after; null if it looked at none
 * @param done        whether no job is left after {@code last}; the store then marks the key
 *                    {@linkplain dev.muster.spi.policy.KeyTrust#backtracked() backtracked}
 */
public record Backtrack(List<Retraction> retractions, JobId last, boolean done) {
    /**
     * Copies the list.
     *
     * @param retractions jobs whose acceptance this page took back; not null, may be empty
     * @param last        the last job this page looked at, or null
     * @param done        whether no job is left after {@code last}
     */
    public Backtrack {
        retractions = List.copyOf(Checks.notNull(retractions, "retractions"));
    }
}
