package dev.muster.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.muster.examples.cardgame.CardGame;
import dev.muster.examples.cardgame.Decks;
import dev.muster.examples.cardgame.GameResult;
import dev.muster.examples.cardgame.Matchup;
import dev.muster.spi.CoordinatorEvent;
import dev.muster.spi.Job;
import dev.muster.spi.JobId;
import dev.muster.spi.JobSpec;
import dev.muster.spi.JobState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeckStatsTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    private static Job job(long id, Matchup m, long seed, JobState state) {
        JobSpec spec = JobSpec.builder("cardgame", m.encode()).seed(seed).build();
        return new Job(new JobId(id), spec, spec.contentDigest(), spec.payloadDigest(), state, 1, 0, T0, null, null,
                null);
    }

    @Test
    void aRetractedGame_isTakenBackOut_andARepeatedAcceptanceCountsOnce() {
        var decks = Decks.samples();
        Matchup m = new Matchup("Midrange", decks.get("Midrange"), "Control", decks.get("Control"));
        DeckStats stats = new DeckStats();
        GameResult played = CardGame.play(m, 11);
        Job accepted = job(1, m, 11, JobState.ACCEPTED);
        stats.onEvent(new CoordinatorEvent.JobAccepted(accepted, played.encode(), List.of(), T0));
        stats.onEvent(new CoordinatorEvent.JobAccepted(accepted, played.encode(), List.of(), T0));
        Map<String, String> once = stats.summary();
        assertEquals(1, Integer.parseInt(once.get("Midrange").split(" / ")[1].split(" ")[0]), once.toString());

        stats.onEvent(new CoordinatorEvent.JobRetracted(job(1, m, 11, JobState.RUNNING), "digest", "key banned", T0));
        Map<String, String> none = stats.summary();
        assertEquals("0 wins / 0 games (0%)", none.get("Midrange"));
        assertEquals("0 wins / 0 games (0%)", none.get("Control"));
    }
}
