package dev.muster.examples.cardgame;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Three sample decks of 20 cards with different curves, for the demos and tests. */
public final class Decks {
    private Decks() {}

    /** @return deck name to cards */
    public static Map<String, List<Card>> samples() {
        Map<String, List<Card>> decks = new LinkedHashMap<>();
        decks.put("Aggro", deck(new Card("Goblin", 1, 2, 1), 8, new Card("Raider", 2, 3, 2), 8,
                new Card("Warchief", 4, 5, 3), 4));
        decks.put("Midrange", deck(new Card("Squire", 2, 2, 3), 6, new Card("Knight", 3, 3, 4), 8,
                new Card("Captain", 5, 5, 5), 6));
        decks.put("Control", deck(new Card("Wall", 2, 0, 6), 6, new Card("Mage", 4, 3, 5), 8,
                new Card("Dragon", 7, 8, 8), 6));
        return decks;
    }

    private static List<Card> deck(Card a, int na, Card b, int nb, Card c, int nc) {
        List<Card> d = new ArrayList<>();
        for (int i = 0; i < na; i++) {
            d.add(a);
        }
        for (int i = 0; i < nb; i++) {
            d.add(b);
        }
        for (int i = 0; i < nc; i++) {
            d.add(c);
        }
        return d;
    }
}
