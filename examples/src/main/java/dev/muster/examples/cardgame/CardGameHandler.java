package dev.muster.examples.cardgame;

import dev.muster.spi.JobHandler;
import dev.muster.spi.ResultReport;
import dev.muster.spi.Ticket;

/** Runs card-game tickets honestly. */
public final class CardGameHandler implements JobHandler {
    @Override
    public String jobType() {
        return CardGameValidator.TYPE;
    }

    @Override
    public ResultReport run(Ticket ticket) {
        GameResult r = CardGame.play(Matchup.decode(ticket.spec().payload()), ticket.seed());
        return ResultReport.of(ticket.jobId(), ticket.replica(), ticket.seed(), r.encode(), r.metadata());
    }
}
