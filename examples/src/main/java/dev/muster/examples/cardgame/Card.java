package dev.muster.examples.cardgame;

import dev.muster.spi.InvalidRequestException;

/**
 * A creature card: it costs mana to play, hits for its power each turn it can attack, and dies
 * when damage reaches its toughness.
 *
 * @param name      name, for logs
 * @param cost      mana to play, 0 to 10
 * @param power     damage it deals, 0 to 20
 * @param toughness damage it takes before dying, 1 to 20
 */
public record Card(String name, int cost, int power, int toughness) {
    /** @throws InvalidRequestException if a number is out of range or the name is unusable */
    public Card {
        if (name == null || name.isBlank() || name.length() > 40 || name.contains(":") || name.contains(",")) {
            throw new InvalidRequestException("card name must be 1 to 40 characters without ':' or ',', was '" + name + "'");
        }
        check(cost, "cost", 0, 10);
        check(power, "power", 0, 20);
        check(toughness, "toughness", 1, 20);
    }

    private static void check(int v, String what, int min, int max) {
        if (v < min || v > max) {
            throw new InvalidRequestException("card " + what + " must be in [" + min + ", " + max + "], was " + v);
        }
    }

    /** @return {@code name:cost:power:toughness} */
    public String encode() {
        return name + ":" + cost + ":" + power + ":" + toughness;
    }

    /** @throws InvalidRequestException if {@code text} is not {@code name:cost:power:toughness} */
    public static Card parse(String text) {
        String[] f = text.trim().split(":");
        if (f.length != 4) {
            throw new InvalidRequestException("card must be name:cost:power:toughness, was '" + text + "'");
        }
        try {
            return new Card(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]));
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("card numbers must be whole numbers in '" + text + "'");
        }
    }
}
