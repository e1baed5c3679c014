package dev.muster.examples.cardgame;

import dev.muster.spi.Digests;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * A small, fully deterministic two-player card game. Each player starts with 20 life and five
 * cards; every turn the active player draws, gains a mana crystal (up to ten), plays the most
 * expensive cards it can afford, then attacks with every creature that has been on the board
 * since its last turn. Defending creatures block the biggest attackers first. A player at zero
 * life loses; after {@link #MAX_TURNS} turns the game is a draw.
 *
 * <p>The seed decides the shuffles and who starts, and nothing else is random, so the same
 * matchup and seed give the same {@link GameResult} (and digest) on any JVM.
 */
public final class CardGame {
    /** Turns after which the game is a draw. */
    public static final int MAX_TURNS = 200;
    private static final int START_LIFE = 20;

    private CardGame() {}

    /** Plays one game. */
    public static GameResult play(Matchup m, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Player a = new Player(m.deckA(), random.split());
        Player b = new Player(m.deckB(), random.split());
        StringBuilder log = new StringBuilder(4096);
        boolean aTurn = random.nextBoolean();
        for (int i = 0; i < 5; i++) {
            a.draw();
            b.draw();
        }
        int turn = 0;
        while (turn < MAX_TURNS && a.life > 0 && b.life > 0) {
            turn++;
            Player me = aTurn ? a : b;
            Player foe = aTurn ? b : a;
            log.append(turn).append(aTurn ? 'A' : 'B');
            me.turn(foe, log);
            aTurn = !aTurn;
        }
        String winner = a.life <= 0 ? "B" : b.life <= 0 ? "A" : "draw";
        return new GameResult(winner, turn, Math.max(0, a.life), Math.max(0, b.life),
                Digests.sha256Hex(log.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static final class Creature {
        final Card card;
        int damage;
        boolean ready;

        Creature(Card card) {
            this.card = card;
        }
    }

    private static final class Player {
        final List<Card> library;
        final List<Card> hand = new ArrayList<>();
        final List<Creature> board = new ArrayList<>();
        int life = START_LIFE;
        int mana;
        int fatigue;

        Player(List<Card> deck, SplittableRandom random) {
            library = new ArrayList<>(deck);
            Collections.shuffle(library, new Random(random.nextLong()));
        }

        void draw() {
            if (library.isEmpty()) {
                life -= ++fatigue;
            } else {
                hand.add(library.remove(library.size() - 1));
            }
        }

        void turn(Player foe, StringBuilder log) {
            draw();
            mana = Math.min(10, mana + 1);
            int available = mana;
            hand.sort((x, y) -> x.cost() != y.cost() ? Integer.compare(y.cost(), x.cost()) : x.name().compareTo(y.name()));
            for (int i = 0; i < hand.size(); ) {
                Card c = hand.get(i);
                if (c.cost() <= available) {
                    available -= c.cost();
                    board.add(new Creature(c));
                    hand.remove(i);
                    log.append('+').append(c.name());
                } else {
                    i++;
                }
            }
            List<Creature> attackers = new ArrayList<>();
            for (Creature c : board) {
                if (c.ready && c.card.power() > 0) {
                    attackers.add(c);
                }
            }
            attackers.sort((x, y) -> Integer.compare(y.card.power(), x.card.power()));
            List<Creature> blockers = new ArrayList<>(foe.board);
            blockers.sort((x, y) -> Integer.compare(y.card.toughness() - y.damage, x.card.toughness() - x.damage));
            for (Creature attacker : attackers) {
                if (!blockers.isEmpty()) {
                    Creature blocker = blockers.remove(0);
                    blocker.damage += attacker.card.power();
                    attacker.damage += blocker.card.power();
                    log.append('x').append(attacker.card.name()).append('/').append(blocker.card.name());
                } else {
                    foe.life -= attacker.card.power();
                    log.append('>').append(attacker.card.power());
                }
            }
            board.removeIf(c -> c.damage >= c.card.toughness());
            foe.board.removeIf(c -> c.damage >= c.card.toughness());
            for (Creature c : board) {
                c.ready = true;
            }
            log.append(';');
        }
    }
}
