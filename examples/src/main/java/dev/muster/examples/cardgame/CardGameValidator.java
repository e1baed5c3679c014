package dev.muster.examples.cardgame;

import dev.muster.spi.InvalidRequestException;
import dev.muster.spi.Job;
import dev.muster.spi.JobSpec;
import dev.muster.spi.ResultReport;
import dev.muster.spi.Validator;
import dev.muster.spi.Verdict;

/**
 * Checks card-game results: the bytes parse as a {@link GameResult}, the winner is A, B or draw
 * and agrees with the life totals, the turn count is within bounds, and the reported metadata
 * (winner, turns) matches the bytes. Whether the game was played honestly is for agreement
 * between replicas to show.
 */
public final class CardGameValidator implements Validator {
    /** The job type. */
    public static final String TYPE = "card-game";

    @Override
    public String jobType() {
        return TYPE;
    }

    /** A payload that is not a match-up could never be played: refused at submission. */
    @Override
    public String checkPayload(JobSpec spec) {
        try {
            Matchup.decode(spec.payload());
            return null;
        } catch (InvalidRequestException e) {
            return "not a match-up: " + e.getMessage();
        }
    }

    @Override
    public Verdict validate(Job job, ResultReport report) {
        GameResult r;
        try {
            r = GameResult.decode(report.result());
        } catch (InvalidRequestException e) {
            return Verdict.invalid("result does not parse: " + e.getMessage());
        }
        if (r.turns() < 1 || r.turns() > CardGame.MAX_TURNS) {
            return Verdict.invalid("turn count " + r.turns() + " outside [1, " + CardGame.MAX_TURNS + "]");
        }
        boolean consistent = switch (r.winner()) {
            case "A" -> r.lifeB() == 0 && r.lifeA() >= 0;
            case "B" -> r.lifeA() == 0 && r.lifeB() >= 0;
            case "draw" -> r.turns() == CardGame.MAX_TURNS && r.lifeA() > 0 && r.lifeB() > 0;
            default -> false;
        };
        if (!consistent) {
            return Verdict.invalid("winner '" + r.winner() + "' does not fit lives " + r.lifeA() + "/" + r.lifeB()
                    + " after " + r.turns() + " turns");
        }
        if (!r.winner().equals(report.metadata().get("winner"))
                || !Integer.toString(r.turns()).equals(report.metadata().get("turns"))) {
            return Verdict.invalid("metadata " + report.metadata() + " does not match the result (winner "
                    + r.winner() + ", " + r.turns() + " turns)");
        }
        return Verdict.ok();
    }

    /** Longer games cost more to simulate, so they earn a little more. */
    @Override
    public double credit(Job job, ResultReport report) {
        return 1.0 + Integer.parseInt(report.metadata().get("turns")) / 100.0;
    }
}
