package dev.muster.spi;

/**
 * One row of a leaderboard.
 *
 * @param rank    1 for the top
 * @param name    a worker id or an owner name, by scope
 * @param credit  credit in the window
 * @param results accepted results in the window
 */
public record LeaderboardEntry(int rank, String name, double credit, long results) {}
