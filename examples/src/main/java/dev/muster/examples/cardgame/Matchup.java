package dev.muster.examples.cardgame;

import dev.muster.spi.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The payload of a card-game job: two named decks. Encoded as two lines,
 * {@code A <name>: card, card, ...} and {@code B <name>: ...}, so payloads stay readable in logs.
 *
 * @param nameA name of deck A
 * @param deckA cards of deck A, 10 to 60
 * @param nameB name of deck B
 * @param deckB cards of deck B, 10 to 60
 */
public record Matchup(String nameA, List<Card> deckA, String nameB, List<Card> deckB) {
    /** Media type of the encoded payload. */
    public static final String MEDIA_TYPE = "text/x-muster-matchup";

    /** @throws InvalidRequestException if a deck is too small or too large */
    public Matchup {
        deckA = List.copyOf(deckA);
        deckB = List.copyOf(deckB);
        for (List<Card> d : List.of(deckA, deckB)) {
            if (d.size() < 10 || d.size() > 60) {
                throw new InvalidRequestException("a deck must hold 10 to 60 cards, this one holds " + d.size());
            }
        }
    }

    /** @return the payload bytes */
    public byte[] encode() {
        return ("A " + nameA + ": " + join(deckA) + "\nB " + nameB + ": " + join(deckB) + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String join(List<Card> cards) {
        List<String> parts = new ArrayList<>();
        cards.forEach(c -> parts.add(c.encode()));
        return String.join(", ", parts);
    }

    /** @throws InvalidRequestException if the payload is not two deck lines */
    public static Matchup decode(byte[] payload) {
        String[] lines = new String(payload, StandardCharsets.UTF_8).split("\n");
        if (lines.length != 2 || !lines[0].startsWith("A ") || !lines[1].startsWith("B ")) {
            throw new InvalidRequestException("a matchup is two lines, 'A name: cards' and 'B name: cards'");
        }
        return new Matchup(name(lines[0]), cards(lines[0]), name(lines[1]), cards(lines[1]));
    }

    private static String name(String line) {
        int colon = line.indexOf(':');
        if (colon < 3) {
            throw new InvalidRequestException("deck line has no name: '" + line + "'");
        }
        return line.substring(2, colon).trim();
    }

    private static List<Card> cards(String line) {
        List<Card> out = new ArrayList<>();
        for (String c : line.substring(line.indexOf(':') + 1).split(",")) {
            out.add(Card.parse(c));
        }
        return out;
    }
}
