package dev.muster.examples;

import dev.muster.core.Coordinator;
import dev.muster.core.policy.AllowlistPolicy;
import dev.muster.examples.cardgame.CardGameHandler;
import dev.muster.examples.cardgame.CardGameValidator;
import dev.muster.examples.cardgame.Decks;
import dev.muster.examples.cardgame.Matchup;
import dev.muster.spi.CoordinatorEvent;
import dev.muster.spi.Job;
import dev.muster.spi.JobSpec;
import dev.muster.spi.Keys;
import dev.muster.spi.ReportOutcome;
import dev.muster.spi.ResultBatch;
import dev.muster.spi.ResultReport;
import dev.muster.spi.SignedBytes;
import dev.muster.spi.TicketBatch;
import java.util.List;
import java.util.Map;

/**
 * The embedding example from the README, as a program that runs: a trusted pool with one
 * in-process worker plays one card game.
 */
public final class Embedding {
    private Embedding() {}

    /** Runs one job through a coordinator and returns the worker's report outcomes. */
    public static List<ReportOutcome> runOnce(Matchup matchup) {
        AllowlistPolicy trusted = new AllowlistPolicy(List.of());
        try (Coordinator coordinator = Coordinator.builder()
                .store("memory", Map.of())                      // or .store(myStore)
                .trustPolicy(trusted)                           // or .trustPolicy("quorum", Map.of("replicas", "3"))
                .validator(new CardGameValidator())             // one per job type
                .listener(Embedding::toPipeline)                // accepted results, failures, rejections
                .build()) {
            coordinator.start();
            Job job = coordinator.submit(List.of(
                    JobSpec.builder("card-game", matchup.encode()).seed(42).build())).get(0);

            // A worker (in-process here; over a transport in a real pool) registers, leases, runs and reports:
            LocalWorker worker = new LocalWorker(coordinator, "alice", new CardGameHandler(), 64);
            trusted.allow(worker.keys().getPublic());
            worker.register();
            TicketBatch tickets = coordinator.lease(worker.id(), 64);
            List<ResultReport> results = tickets.tickets().stream().map(new CardGameHandler()::run).toList();
            byte[] signature = Keys.sign(worker.keys().getPrivate(), SignedBytes.results(worker.id(), results));
            List<ReportOutcome> outcomes = coordinator.report(new ResultBatch(worker.id(), results, signature));
            System.out.println("job " + job.id() + " is " + coordinator.job(job.id()).orElseThrow().state());
            return outcomes;
        }
    }

    private static void toPipeline(CoordinatorEvent event) {
        if (event instanceof CoordinatorEvent.JobAccepted accepted) {
            System.out.println("accepted job " + accepted.job().id() + ": " + new String(accepted.result()).trim()
                    .replace('\n', ' '));
        }
    }

    /** @param args ignored */
    public static void main(String[] args) {
        var decks = Decks.samples();
        runOnce(new Matchup("Aggro", decks.get("Aggro"), "Control", decks.get("Control")));
    }
}
