package dev.muster.examples;

import dev.muster.examples.cardgame.GameResult;
import dev.muster.examples.cardgame.Matchup;
import dev.muster.spi.CoordinatorEvent;
import dev.muster.spi.EventListener;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A result sink: folds every accepted game into win counts per deck, the way a pipeline stage
 * would consume accepted results.
 */
public final class DeckStats implements EventListener {
    private final Map<String, LongAdder[]> byDeck = new ConcurrentHashMap<>();

    @Override
    public void onEvent(CoordinatorEvent event) {
        if (event instanceof CoordinatorEvent.JobAccepted accepted) {
            Matchup m = Matchup.decode(accepted.job().spec().payload());
            GameResult r = GameResult.decode(accepted.result());
            count(m.nameA(), r.winner().equals("A"));
            count(m.nameB(), r.winner().equals("B"));
        }
    }

    private void count(String deck, boolean won) {
        LongAdder[] c = byDeck.computeIfAbsent(deck, d -> new LongAdder[] {new LongAdder(), new LongAdder()});
        c[0].increment();
        if (won) {
            c[1].increment();
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
