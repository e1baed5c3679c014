package dev.muster.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.muster.examples.cardgame.Decks;
import dev.muster.examples.cardgame.Matchup;
import dev.muster.spi.ReportOutcome;
import dev.muster.spi.ReportStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keeps the README's embedding example true. */
class EmbeddingTest {
    @Test
    void readmeExample_runsOneGameToAcceptance() {
        var decks = Decks.samples();
        List<ReportOutcome> outcomes = Embedding.runOnce(
                new Matchup("Midrange", decks.get("Midrange"), "Control", decks.get("Control")));
        assertEquals(List.of(ReportStatus.ACCEPTED), outcomes.stream().map(ReportOutcome::status).toList());
    }
}
