package dev.muster.benchmarks.sabotage;

import java.util.Locale;

/**
 * One cell of the grid, one seed.
 *
 * @param warm    whether every key starts mature (steady state) rather than with no history
 * @param backlog how many submitted jobs the submitter keeps unfinished at most: it submits more
 *                as the pool finishes them, as one feeding a pool does, rather than all at once
 */
record Cell(String policy, Adversary adversary, double f, double s, boolean colluding, double honestErrors,
            boolean warm, int workers, int jobs, int backlog, long seed) {
    String label() {
        return String.format(Locale.ROOT, "%-11s %-19s f=%-5s s=%-6s %-4s %s%s", policy,
                adversary.name().toLowerCase(Locale.ROOT), f, s, warm ? "warm" : "cold",
                colluding ? "coll" : "indep", honestErrors > 0 ? " herr=" + honestErrors : "");
    }

    Cell withSeed(long s2) {
        return new Cell(policy, adversary, f, s, colluding, honestErrors, warm, workers, jobs, backlog, s2);
    }
}
