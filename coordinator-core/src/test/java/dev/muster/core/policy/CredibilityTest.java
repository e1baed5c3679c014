package dev.muster.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class CredibilityTest {
    private final Credibility cr = new Credibility(0.2, 1e6);

    @Test
    void aNewcomerIsWorthOneMinusFmax_andAKeyGainsWithPassedSpotChecks() {
        assertEquals(0.8, cr.ofKey(0), 1e-12);
        // 1 - f / ((1 - f) k e) at k = 100: 1 - 0.2 / (0.8 * 100 * e)
        assertEquals(1 - 0.2 / (0.8 * 100 * Math.E), cr.ofKey(100), 1e-12);
        assertTrue(cr.ofKey(1) >= cr.ofKey(0));
        assertTrue(cr.ofKey(1000) > cr.ofKey(100));
        assertThrows(IllegalArgumentException.class, () -> cr.ofKey(-1));
    }

    @Test
    void aLoneGroupOfNewcomers_followsTheOddsForm() {
        // Odds 4 each: two agreeing newcomers have odds 16, credibility 16 / 17.
        assertEquals(16.0 / 17, cr.ofGroup(List.of(0.8, 0.8), List.of()), 1e-12);
        assertEquals(0.8, cr.ofGroup(List.of(0.8), List.of()), 1e-12);
    }

    @Test
    void aRivalGroupCountsAgainst_evenWithTheSameOdds() {
        double alone = cr.ofGroup(List.of(0.8, 0.8), List.of());
        double contested = cr.ofGroup(List.of(0.8, 0.8), List.of(List.of(0.8)));
        assertEquals(16.0 / (1 + 16 + 4), contested, 1e-12);
        assertTrue(contested < alone);
        // Two groups of equal odds: neither can be believed more than half.
        assertTrue(cr.ofGroup(List.of(0.8, 0.8), List.of(List.of(0.8, 0.8))) < 0.5);
    }

    @Test
    void oddsAreCapped_soAFewTrustedKeysCannotOutvoteEveryone() {
        Credibility capped = new Credibility(0.2, 100);
        double trusted = capped.ofKey(1_000_000);
        // Uncapped, two near-certain keys would dwarf ten newcomers; capped at odds 100 each they do not.
        double twoTrusted = capped.ofGroup(List.of(trusted, trusted), List.of(Collections.nCopies(10, 0.8)));
        assertTrue(twoTrusted < 0.5, "two trusted keys against ten agreeing newcomers: " + twoTrusted);
    }

    @Test
    void withNoHistory_sevenAgreeingNewcomersReachOneInTenThousand() {
        // 4^7 = 16,384 >= 9,999 > 4^6 = 4,096: the "margin 7" of credibility voting with no history.
        assertEquals(7, cr.newcomersNeeded(1e-4));
        assertTrue(cr.ofGroup(Collections.nCopies(7, 0.8), List.of()) >= 1 - 1e-4);
        assertTrue(cr.ofGroup(Collections.nCopies(6, 0.8), List.of()) < 1 - 1e-4);
    }

    @Test
    void hugeGroups_doNotOverflow() {
        double c = cr.ofGroup(Collections.nCopies(10_000, 0.8), List.of(Collections.nCopies(9_999, 0.8)));
        assertTrue(c > 0.7 && c <= 1, "credibility " + c);
        assertEquals(0, cr.ofGroup(List.of(0.8), List.of(Collections.nCopies(10_000, 0.8))), 1e-12);
    }

    @Test
    void refusesBoundsOutsideTheModel() {
        assertThrows(IllegalArgumentException.class, () -> new Credibility(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new Credibility(0.5, 10));
        assertThrows(IllegalArgumentException.class, () -> new Credibility(0.2, 3));
    }
}
