package dev.muster.core.policy;

import java.util.Collection;
import java.util.List;

/**
 * Sarmenta's credibility arithmetic (credibility-based fault tolerance, FGCS 2002), the ground
 * the open pool's trust policy stands on. {@code fMax} bounds the share of identities, and of the
 * work, held by saboteurs; every figure is the worst case over the saboteurs' error rate.
 *
 * <ul>
 *   <li>A key that passed {@code k} hidden spot-checks has credibility
 *       {@code 1 - fMax / ((1 - fMax) k e)}; a newcomer has {@code 1 - fMax}.</li>
 *   <li>Results are grouped by digest. With the odds {@code o = Cr / (1 - Cr)} of each result,
 *       capped so that a few long-trusted keys cannot outvote everyone, a group's odds are the
 *       product of its results' odds, and its credibility is
 *       {@code O_a / (1 + sum over groups b of O_b)}: colluders may all give one wrong digest, so
 *       every group but the right one may be theirs.</li>
 *   <li>A job is decided when its best group reaches {@code 1 - epsilon}.</li>
 * </ul>
 *
 * <p>Odds multiply quickly (a newcomer's are 4 at {@code fMax = 0.2}), so they are kept as
 * logarithms. Stateless and thread-safe.
 */
final class Credibility {
    private final double fMax;
    private final double maxLogOdds;

    /**
     * @param fMax    the bound on the saboteurs' share, in (0, 0.5)
     * @param maxOdds the most odds one result may bring, at least a newcomer's
     *                ({@code (1 - fMax) / fMax})
     */
    Credibility(double fMax, double maxOdds) {
        if (!(fMax > 0 && fMax < 0.5)) {
            throw new IllegalArgumentException("fMax must be in (0, 0.5), was " + fMax);
        }
        if (!(maxOdds >= (1 - fMax) / fMax)) {
            throw new IllegalArgumentException("maxOdds must be at least a newcomer's, " + (1 - fMax) / fMax
                    + ", was " + maxOdds);
        }
        this.fMax = fMax;
        this.maxLogOdds = Math.log(maxOdds);
    }

    /** @return the bound on the saboteurs' share this arithmetic assumes */
    double fMax() {
        return fMax;
    }

    /**
     * Returns the credibility of a key that passed {@code passed} spot-checks and failed none.
     *
     * @param passed spot-checks passed, at least 0
     * @return a probability that the key's next result is right, at least {@code 1 - fMax}
     */
    double ofKey(long passed) {
        if (passed < 0) {
            throw new IllegalArgumentException("passed must be at least 0, was " + passed);
        }
        if (passed == 0) {
            return 1 - fMax;
        }
        return Math.max(1 - fMax, 1 - fMax / ((1 - fMax) * passed * Math.E));
    }

    /** @return the logarithm of one result's odds, from its key's credibility, capped */
    double logOdds(double credibility) {
        if (credibility >= 1) {
            return maxLogOdds;
        }
        return Math.min(maxLogOdds, Math.log(credibility) - Math.log1p(-credibility));
    }

    /**
     * Returns the credibility of one group of agreeing results, beside the other groups of the
     * same job.
     *
     * @param group  the credibilities of the keys whose results form the group
     * @param others the same for each other group of the job
     * @return the probability that the group's digest is the right one
     */
    double ofGroup(Collection<Double> group, List<? extends Collection<Double>> others) {
        double a = sumLogOdds(group);
        // 1 / (1/O_a + 1 + sum of O_b / O_a), each term formed from differences of logarithms.
        double denominator = Math.exp(-a) + 1;
        for (Collection<Double> other : others) {
            denominator += Math.exp(sumLogOdds(other) - a);
        }
        return 1 / denominator;
    }

    private double sumLogOdds(Collection<Double> credibilities) {
        double sum = 0;
        for (double c : credibilities) {
            sum += logOdds(c);
        }
        return sum;
    }

    /**
     * Returns how many agreeing newcomers a job needs, with no other group, to reach
     * {@code 1 - epsilon}: what a pool with no history pays per job.
     *
     * @param epsilon the accepted error per job, in (0, 1)
     * @return the smallest such number of results
     */
    int newcomersNeeded(double epsilon) {
        // (O / (1 + O)) >= 1 - epsilon  <=>  O >= (1 - epsilon) / epsilon, with O = o^m.
        double needed = Math.log((1 - epsilon) / epsilon) / logOdds(1 - fMax);
        return (int) Math.ceil(needed - 1e-9);
    }
}
