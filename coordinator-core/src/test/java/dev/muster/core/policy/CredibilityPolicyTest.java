package dev.muster.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.spi.ConfigurationException;
import dev.muster.spi.Job;
import dev.muster.spi.JobId;
import dev.muster.spi.JobSpec;
import dev.muster.spi.JobState;
import dev.muster.spi.Plugins;
import dev.muster.spi.WorkerId;
import dev.muster.spi.policy.Decision;
import dev.muster.spi.policy.KeyTrust;
import dev.muster.spi.policy.StoredResult;
import dev.muster.spi.policy.TrustPolicy;
import dev.muster.spi.policy.TrustPolicyProvider;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CredibilityPolicyTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private final Map<WorkerId, KeyTrust> standing = new HashMap<>();
    private final List<StoredResult> results = new ArrayList<>();
    private int keys;

    private static CredibilityPolicy policy(double fMax) {
        return new CredibilityPolicy(fMax, 1e-4, Map.of(), 100, 2, 30, 0.1, 0.1, 10, CredibilityPolicy.STRIKE_EXPIRY);
    }

    private static Job job(long id, String type, int replicasWanted) {
        JobSpec spec = JobSpec.builder(type, new byte[] {1}).seed(id * 31).build();
        return new Job(new JobId(id), spec, spec.contentDigest(), spec.payloadDigest(), JobState.RUNNING,
                replicasWanted, 0, T0, null, null, null);
    }

    /** Adds a valid result of a new key of {@code owner} that passed {@code passed} spot-checks. */
    private WorkerId result(String owner, long passed, String digest) {
        WorkerId w = new WorkerId(String.format("%032x", ++keys));
        KeyTrust t = KeyTrust.newcomer(w);
        for (long i = 0; i < passed; i++) {
            t = t.pass(T0);
        }
        standing.put(w, t);
        results.add(new StoredResult(new JobId(1), results.size(), w, owner, digest, new byte[0], Map.of(), true, "",
                1.0, T0));
        return w;
    }

    private Decision decide(TrustPolicy p) {
        return p.decide(job(1, "t", results.size()), List.copyOf(results), standing);
    }

    @Test
    void coldStart_atFMax02_needsSevenAgreeingNewcomersOfDistinctOwners() {
        CredibilityPolicy p = policy(0.2);
        for (int i = 0; i < 6; i++) {
            result("owner-" + i, 0, "good");
            assertInstanceOf(Decision.AddReplicas.class, decide(p), "after " + (i + 1) + " newcomers");
        }
        result("owner-6", 0, "good");
        Decision d = decide(p);
        assertEquals("good", assertInstanceOf(Decision.Accept.class, d).resultDigest());
    }

    @Test
    void keysOfOneOwner_areOneVoice() {
        CredibilityPolicy p = policy(0.2);
        for (int i = 0; i < 8; i++) {
            result("alice", 0, "good");
        }
        assertInstanceOf(Decision.AddReplicas.class, decide(p));
    }

    @Test
    void twoMatureOwnersAgreeing_accept_butOneAloneNeverDoes() {
        CredibilityPolicy p = policy(0.2);
        result("alice", 100_000, "good");
        assertInstanceOf(Decision.AddReplicas.class, decide(p), "one key, however trusted, does not decide");
        result("bob", 100, "good");
        assertInstanceOf(Decision.Accept.class, decide(p));
    }

    @Test
    void aDissentingNewcomer_keepsTwoMatureKeysShortOfTheBar() {
        CredibilityPolicy p = policy(0.2);
        result("alice", 100, "good");
        result("mallory", 0, "bad");
        result("bob", 100, "good");
        assertInstanceOf(Decision.AddReplicas.class, decide(p));
        result("carol", 100, "good");
        assertEquals("good", assertInstanceOf(Decision.Accept.class, decide(p)).resultDigest());
    }

    @Test
    void resultsOfBannedKeys_countForNothing() {
        CredibilityPolicy p = policy(0.2);
        WorkerId a = result("alice", 100, "bad");
        result("bob", 100, "bad");
        standing.put(a, standing.get(a).ban("caught", T0));
        assertInstanceOf(Decision.AddReplicas.class, decide(p));
    }

    @Test
    void whileAReplicaIsOut_thePolicyWaits_andIssuesOneAtATime() {
        CredibilityPolicy p = policy(0.2);
        assertEquals(1, p.initialReplicas(job(1, "t", 1).spec()));
        result("alice", 0, "good");
        assertInstanceOf(Decision.Wait.class, p.decide(job(1, "t", 2), List.copyOf(results), standing));
        Decision.AddReplicas add = assertInstanceOf(Decision.AddReplicas.class, decide(p));
        assertEquals(1, add.count());
    }

    @Test
    void atTheReplicaCap_theJobFailsAsInconclusive() {
        CredibilityPolicy p = new CredibilityPolicy(0.2, 1e-4, Map.of(), 100, 2, 8, 0.1, 0.1, 10,
                CredibilityPolicy.STRIKE_EXPIRY);
        for (int i = 0; i < 8; i++) {
            result("owner-" + i, 0, i % 2 == 0 ? "a" : "b");
        }
        Decision.Fail f = assertInstanceOf(Decision.Fail.class, decide(p));
        assertTrue(f.reason().startsWith("inconclusive"), f.reason());
    }

    @Test
    void belowFMax005_oneMatureKeyDecides_exceptOnAnAuditedShareThatNeverFades() {
        CredibilityPolicy p = policy(0.01);
        result("alice", 100, "good");
        int audited = 0;
        int n = 20_000;
        for (long id = 1; id <= n; id++) {
            if (p.decide(job(id, "t", 1), List.copyOf(results), standing) instanceof Decision.AddReplicas) {
                audited++;
            }
        }
        // Binomial(20000, 0.1): mean 2000, sd 42; 6 sd either side.
        assertTrue(audited > 1_750 && audited < 2_250, "audited " + audited + " of " + n);
        // A newcomer alone never decides, audited or not.
        results.clear();
        result("bob", 0, "good");
        assertInstanceOf(Decision.AddReplicas.class, decide(p));
    }

    @Test
    void epsilonPerJobType_setsItsOwnBar() {
        CredibilityPolicy p = new CredibilityPolicy(0.2, 1e-4, Map.of("cheap", 0.05), 100, 2, 30, 0.1, 0.1, 10,
                CredibilityPolicy.STRIKE_EXPIRY);
        result("alice", 0, "good");
        result("bob", 0, "good");
        result("carol", 0, "good");
        assertInstanceOf(Decision.Accept.class, p.decide(job(1, "cheap", 3), List.copyOf(results), standing));
        assertInstanceOf(Decision.AddReplicas.class, p.decide(job(1, "t", 3), List.copyOf(results), standing));
    }

    @Test
    void aLostDispute_strikesAndRestartsPasses_theSecondBans() {
        CredibilityPolicy p = policy(0.2);
        WorkerId w = result("alice", 150, "bad");
        StoredResult lost = results.get(0);
        KeyTrust once = p.outvoted(standing.get(w), lost, T0);
        assertEquals(1, once.strikes());
        assertEquals(0, once.passed());
        assertFalse(once.banned(), "one lost vote does not ban");
        KeyTrust twice = p.outvoted(once, lost, T0.plusSeconds(1));
        assertTrue(twice.banned());
        assertTrue(twice.banReason().contains("lost 2 disputes"), twice.banReason());
    }

    @Test
    void passesAfterAStrike_takeItBack_oneStrikePerExpiry() {
        CredibilityPolicy p = new CredibilityPolicy(0.2, 1e-4, Map.of(), 100, 3, 30, 0.1, 0.1, 10, 5);
        WorkerId w = result("alice", 150, "bad");
        StoredResult lost = results.get(0);
        KeyTrust t = p.outvoted(p.outvoted(standing.get(w), lost, T0), lost, T0);
        assertEquals(2, t.strikes());
        for (int i = 1; i <= 10; i++) {
            t = p.spotChecked(t, true, lost, T0);
            assertEquals(i < 5 ? 2 : i < 10 ? 1 : 0, t.strikes(), "after " + i + " passes");
            assertEquals(i, t.passed(), "the passes stay: the key earns its weight back as before");
        }
        KeyTrust again = p.outvoted(t, lost, T0);
        assertEquals(1, again.strikes());
        assertFalse(again.banned());
    }

    @Test
    void strikesThatNeverExpire_addUpToABan() {
        CredibilityPolicy p = new CredibilityPolicy(0.2, 1e-4, Map.of(), 100, 2, 30, 0.1, 0.1, 10, 0);
        WorkerId w = result("alice", 150, "bad");
        StoredResult lost = results.get(0);
        KeyTrust t = p.outvoted(standing.get(w), lost, T0);
        for (int i = 0; i < 1_000; i++) {
            t = p.spotChecked(t, true, lost, T0);
        }
        assertEquals(1, t.strikes());
        assertTrue(p.outvoted(t, lost, T0).banned());
    }

    @Test
    void onlyMatureKeysInGoodStanding_spendAttempts() {
        CredibilityPolicy p = policy(0.2);
        WorkerId w = result("alice", 99, "x");
        assertFalse(p.countsAttempt(standing.get(w)));
        assertTrue(p.countsAttempt(standing.get(w).pass(T0)));
        assertFalse(p.countsAttempt(standing.get(w).pass(T0).ban("caught", T0)));
    }

    @Test
    void aVoidedSpotCheck_liftsTheBanItCaused_andNoOther() {
        CredibilityPolicy p = policy(0.2);
        WorkerId w = result("alice", 12, "right");
        StoredResult answer = results.get(0);
        KeyTrust failed = p.spotChecked(standing.get(w), false, answer, T0);
        assertTrue(failed.banned());
        KeyTrust lifted = p.spotCheckVoided(failed, answer, T0.plusSeconds(1));
        assertFalse(lifted.banned());
        assertEquals(0, lifted.passed(), "passes start again");

        KeyTrust struckOut = p.outvoted(p.outvoted(standing.get(w), answer, T0), answer, T0);
        assertTrue(struckOut.banned());
        assertEquals(struckOut, p.spotCheckVoided(struckOut, answer, T0), "lost disputes are not a spot-check");
        StoredResult otherCheck = new StoredResult(new JobId(99), 0, w, "alice", "right", new byte[0], Map.of(), true,
                "", 1.0, T0);
        assertEquals(failed, p.spotCheckVoided(failed, otherCheck, T0), "another spot-check's ban stands");
    }

    @Test
    void provider_isFoundByName_readsItsSettings_andRefusesUnknownOnes() {
        TrustPolicyProvider provider = Plugins.load(TrustPolicyProvider.class, "credibility");
        TrustPolicy p = provider.create(Map.of("fMax", "0.1", "epsilon.cheap", "0.01", "maturity", "50"));
        assertTrue(p.judgesKeys());
        assertTrue(p.toString().contains("fMax=0.1") && p.toString().contains("cheap=0.01"), p.toString());
        ConfigurationException unknown = assertThrows(ConfigurationException.class,
                () -> provider.create(Map.of("fmax", "0.1")));
        assertTrue(unknown.getMessage().contains("trust.fmax"), unknown.getMessage());
        ConfigurationException tooFew = assertThrows(ConfigurationException.class,
                () -> provider.create(Map.of("maxReplicas", "5")));
        assertTrue(tooFew.getMessage().contains("needs 7 agreeing newcomers"), tooFew.getMessage());

        assertEquals(10, p.probation(), "ten passes by default");
        assertEquals(3, provider.create(Map.of("maturity", "3")).probation(), "never beyond maturity");
        assertEquals(0, provider.create(Map.of("probation", "0")).probation());
        ConfigurationException tooLong = assertThrows(ConfigurationException.class,
                () -> provider.create(Map.of("maturity", "20", "probation", "21")));
        assertTrue(tooLong.getMessage().contains("trust.probation"), tooLong.getMessage());
    }
}
