package dev.muster.examples;

import dev.muster.examples.cardgame.GameResult;
import dev.muster.examples.cardgame.Matchup;
import dev.muster.spi.CoordinatorEvent;
import dev.muster.spi.EventListener;
import dev.muster.spi.JobId;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A result sink: folds every accepted game into win counts per deck, the way a pipeline stage
 * would consume accepted results, and takes a game back out when its acceptance is retracted
 * (an open pool found that a key it relied on cheated).
 */
public final class DeckStats implements EventListener {
    private final Map<String, LongAdder[]> byDeck = new ConcurrentHashMap<>();
    /** What each job added, so that a retraction can take exactly that back. */
    private final Map<JobId, String> winnerByJob = new ConcurrentHashMap<>();

    @Override
    public void onEvent(CoordinatorEvent event) {
        if (event instanceof CoordinatorEvent.JobAccepted accepted) {
            String winner = GameResult.decode(accepted.result()).winner();
            if (winnerByJob.putIfAbsent(accepted.job().id(), winner) == null) {
                count(Matchup.decode(accepted.job().spec().payload()), winner, 1);
            }
        } else if (event instanceof CoordinatorEvent.JobRetracted retracted) {
            String winner = winnerByJob.remove(retracted.job().id());
            if (winner != null) {
                count(Matchup.decode(retracted.job().spec().payload()), winner, -1);
            }
        }
    }

    private void count(Matchup m, String winner, int delta) {
        count(m.nameA(), winner.equals("A"), delta);
        count(m.nameB(), winner.equals("B"), delta);
    }

    private void count(String deck, boolean won, int delta) {
        LongAdder[] c = byDeck.computeIfAbsent(deck, d -> new LongAdder[] {new LongAdder(), new LongAdder()});
        c[0].add(delta);
        if (won) {
            c[1].add(delta);
        }
    }

    /** @return deck name to "wins / games (rate)" */
    public Map<String, String> summary() {
        Map<String, String> out = new TreeMap<>();
        byDeck.forEach((deck, c) -> out.put(deck, String.format("%d wins / %d games (%.0f%%)", c[1].sum(), c[0].sum(),
                100.0 * c[1].sum() / Math.max(1, c[0].sum()))));
        return out;
    }

    @Override
    public String name() {
        return "deck-stats";
    }
}
