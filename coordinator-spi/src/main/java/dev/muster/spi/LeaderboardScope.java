package dev.muster.spi;

/** Whom a leaderboard ranks. */
public enum LeaderboardScope {
    /** Individual workers (machines). */
    WORKER,
    /** Owners (contributor accounts), summing their workers. */
    OWNER
}
