package dev.muster.examples.cardgame;

import dev.muster.spi.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a game produced. Encoded as {@code key=value} lines in a fixed order, so the same game
 * gives the same bytes, and so the same digest, on every worker.
 *
 * @param winner  {@code A}, {@code B} or {@code draw}
 * @param turns   turns played, 1 to {@link CardGame#MAX_TURNS}
 * @param lifeA   deck A's life at the end
 * @param lifeB   deck B's life at the end
 * @param logHash SHA-256 of the game's event log, hex; replicas agree on it only if they played the same game
 */
public record GameResult(String winner, int turns, int lifeA, int lifeB, String logHash) {

    /** @return the result bytes */
    public byte[] encode() {
        return ("winner=" + winner + "\nturns=" + turns + "\nlifeA=" + lifeA + "\nlifeB=" + lifeB + "\nlog=" + logHash
                + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** @return the metadata a validator checks against the bytes */
    public Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("winner", winner);
        m.put("turns", Integer.toString(turns));
        return m;
    }

    /** @throws InvalidRequestException if the bytes are not a game result */
    public static GameResult decode(byte[] bytes) {
        Map<String, String> f = new LinkedHashMap<>();
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            int eq = line.indexOf('=');
            if (eq < 1) {
                throw new InvalidRequestException("result line is not key=value: '" + line + "'");
            }
            f.put(line.substring(0, eq), line.substring(eq + 1));
        }
        if (!f.keySet().equals(java.util.Set.of("winner", "turns", "lifeA", "lifeB", "log"))) {
            throw new InvalidRequestException("result must have exactly winner, turns, lifeA, lifeB and log; has "
                    + f.keySet());
        }
        try {
            return new GameResult(f.get("winner"), Integer.parseInt(f.get("turns")), Integer.parseInt(f.get("lifeA")),
                    Integer.parseInt(f.get("lifeB")), f.get("log"));
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("result numbers are not whole numbers: " + f);
        }
    }
}
