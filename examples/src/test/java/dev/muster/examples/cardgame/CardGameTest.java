package dev.muster.examples.cardgame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.spi.InvalidRequestException;
import dev.muster.spi.Job;
import dev.muster.spi.JobId;
import dev.muster.spi.JobSpec;
import dev.muster.spi.JobState;
import dev.muster.spi.ResultReport;
import dev.muster.spi.Verdict;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CardGameTest {
    private static final Map<String, List<Card>> DECKS = Decks.samples();
    private static final Matchup MATCHUP = new Matchup("Aggro", DECKS.get("Aggro"), "Control", DECKS.get("Control"));

    @Test
    void play_sameMatchupAndSeed_givesIdenticalResultBytes() {
        for (long seed = 0; seed < 50; seed++) {
            assertArrayEquals(CardGame.play(MATCHUP, seed).encode(), CardGame.play(MATCHUP, seed).encode());
        }
    }

    @Test
    void play_differentSeeds_giveDifferentGames_andBothDecksWinSometimes() {
        Set<String> logs = new HashSet<>();
        Set<String> winners = new HashSet<>();
        for (long seed = 0; seed < 200; seed++) {
            GameResult r = CardGame.play(MATCHUP, seed);
            logs.add(r.logHash());
            winners.add(r.winner());
            assertTrue(r.turns() >= 1 && r.turns() <= CardGame.MAX_TURNS);
        }
        assertTrue(logs.size() > 100, "distinct games: " + logs.size());
        assertTrue(winners.containsAll(Set.of("A", "B")), winners.toString());
    }

    @Test
    void matchup_roundTripsThroughItsPayload_andRejectsJunk() {
        assertEquals(MATCHUP, Matchup.decode(MATCHUP.encode()));
        assertThrows(InvalidRequestException.class, () -> Matchup.decode("hello".getBytes()));
        assertThrows(InvalidRequestException.class, () -> Card.parse("Goblin:1:2"));
        assertThrows(InvalidRequestException.class, () -> new Card("Giant", 1, 99, 1));
    }

    private static Job job() {
        JobSpec spec = JobSpec.builder(CardGameValidator.TYPE, MATCHUP.encode()).seed(3).build();
        return new Job(JobId.of(1), spec, spec.contentDigest(), spec.payloadDigest(), JobState.RUNNING, 1, 0,
                Instant.EPOCH, null, null, null);
    }

    private static Verdict check(GameResult r, Map<String, String> metadata) {
        return new CardGameValidator().validate(job(), ResultReport.of(JobId.of(1), 0, 3, r.encode(), metadata));
    }

    @Test
    void validator_acceptsARealResult() {
        GameResult r = CardGame.play(MATCHUP, 3);
        assertEquals(Verdict.ok(), check(r, r.metadata()));
    }

    @Test
    void validator_rejectsImpossibleOrInconsistentResults() {
        GameResult real = CardGame.play(MATCHUP, 3);
        GameResult tooLong = new GameResult("A", 999, 5, 0, real.logHash());
        assertTrue(check(tooLong, tooLong.metadata()).reason().contains("turn count"));
        GameResult lifeMismatch = new GameResult("A", 12, 0, 7, real.logHash());
        assertFalse(check(lifeMismatch, lifeMismatch.metadata()).valid());
        Map<String, String> lying = Map.of("winner", real.winner().equals("A") ? "B" : "A",
                "turns", Integer.toString(real.turns()));
        assertTrue(check(real, lying).reason().contains("metadata"));
        Verdict junk = new CardGameValidator().validate(job(),
                ResultReport.of(JobId.of(1), 0, 3, "not a result".getBytes(), Map.of()));
        assertTrue(junk.reason().contains("does not parse"), junk.reason());
        assertNotEquals(Verdict.ok(), junk);
    }
}
