package dev.muster.benchmarks.sabotage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.benchmarks.sabotage.SabotageSimulator.Adversary;
import dev.muster.benchmarks.sabotage.SabotageSimulator.Cell;
import dev.muster.benchmarks.sabotage.SabotageSimulator.Outcome;
import org.junit.jupiter.api.Test;

/** A small, seeded corner of the simulator's grid, checked against what the formulas predict. */
class SabotageSimulatorTest {
    private static final long SEED = 20261123L;

    private static Outcome run(String policy, double f, double s) {
        return run(policy, Adversary.STATIONARY, f, s);
    }

    private static Outcome run(String policy, Adversary adversary, double f, double s) {
        Outcome o = SabotageSimulator.run(new Cell(policy, adversary, f, s, true, 0, 100, 2_000, SEED, 30));
        System.out.printf("%s | seed %d: accepted %d, wrong %d, error %.4f, %.2f results per job%n",
                o.cell().label(), SEED, o.accepted(), o.wrong(), o.error(), o.totalPerJob());
        return o;
    }

    @Test
    void anHonestPool_acceptsEveryJobRight_withTwoResultsEachUnderQuorum() {
        Outcome o = run("quorum", 0, 1);
        assertEquals(2_000, o.accepted());
        assertEquals(0, o.wrong());
        assertEquals(4_000, o.totalResults());
    }

    @Test
    void quorumOfTwo_againstColludingSaboteurs_losesAboutWhatTheFormulaSays() {
        // m-first voting with m = 2 and p = f s = 0.2: error ~ C(3,2) p^2 = 0.12 at most; a worker
        // never holds two replicas of one job, which the formula does not know, so a bit less.
        Outcome o = run("quorum", 0.2, 1);
        assertEquals(2_000, o.accepted() + o.failed());
        assertTrue(o.error() > 0.05 && o.error() < 0.13, "error " + o.error());
        assertTrue(o.totalPerJob() > 2.0 && o.totalPerJob() < 2.5, o.totalPerJob() + " results per job");
    }

    @Test
    void adaptiveReplication_isCheaper_butNoSafer() {
        Outcome quorum = run("quorum", 0.1, 0.1);
        Outcome adaptive = run("adaptive", 0.1, 0.1);
        assertTrue(adaptive.totalPerJob() < quorum.totalPerJob() - 0.3,
                adaptive.totalPerJob() + " vs " + quorum.totalPerJob() + " results per job");
        assertTrue(adaptive.wrong() >= quorum.wrong(), adaptive.wrong() + " vs " + quorum.wrong() + " wrong");
    }

    @Test
    void aCartelThatCheatsOnlyWhenItHoldsEveryReplicaSoFar_poisonsQuorumAtAboutFSquared() {
        Outcome o = run("quorum", Adversary.COASSIGNED, 0.2, 1);
        // Reports come in at once here, so the first replica's holder cheats alone and is caught
        // when the second goes to an honest worker; it wins when both went to the cartel, f^2.
        assertTrue(o.error() > 0.02 && o.error() < 0.07, "error " + o.error());
        assertTrue(o.totalResults() > 4_000, "caught cheats cost extra replicas: " + o.totalResults());
    }

    @Test
    void aFloodUnderFreshIdentities_isOutvotedByTheHonestMajority_butCostsResults() {
        Outcome flood = run("quorum", Adversary.FLOOD, 0.2, 1);
        Outcome honest = run("quorum", 0, 1);
        assertTrue(flood.totalPerJob() > honest.totalPerJob(), flood.totalPerJob() + " results per job");
        assertTrue(flood.error() > 0, "colluding garbage from two fresh identities agrees");
    }

    @Test
    void theSameSeed_givesTheSameRun() {
        assertEquals(run("adaptive", 0.2, 0.1), run("adaptive", 0.2, 0.1));
    }

    @Test
    void clopperPearson_matchesKnownBounds() {
        // Zero errors in 29,956 jobs bound the rate at 1e-4; one error needs 47,437.
        assertEquals(1e-4, SabotageSimulator.upperBound(0, 29_956, 0.05), 1e-6);
        assertEquals(1e-4, SabotageSimulator.upperBound(1, 47_437, 0.05), 1e-6);
        assertEquals(1e-4, SabotageSimulator.upperBound(5, 105_128, 0.05), 1e-6);
    }
}
