package dev.muster.store.jdbc;

import dev.muster.spi.Capabilities;
import dev.muster.spi.Challenge;
import dev.muster.spi.CoordinatorApi;
import dev.muster.spi.Keys;
import dev.muster.spi.Registration;
import dev.muster.spi.ReportOutcome;
import dev.muster.spi.ResultBatch;
import dev.muster.spi.ResultReport;
import dev.muster.spi.SignedBytes;
import dev.muster.spi.Ticket;
import dev.muster.spi.WorkerId;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An in-process worker for pool tests: its own key, registers with a coordinator, answers every
 * job with a result derived from its seed (so honest workers agree), and can be pointed at
 * another coordinator of the same pool.
 */
final class PoolWorker {
    final KeyPair keys = Keys.generate();
    final WorkerId id = WorkerId.of(keys.getPublic());
    final String owner;

    PoolWorker(String owner) {
        this.owner = owner;
    }

    void register(CoordinatorApi api, int maxLeases) {
        Challenge c = api.challenge();
        Capabilities caps = Capabilities.of(4, 4096);
        byte[] proof = Keys.sign(keys.getPrivate(),
                SignedBytes.registration(c.value(), keys.getPublic(), owner, caps, "build-1", maxLeases));
        api.register(new Registration(keys.getPublic(), owner, caps, "build-1", maxLeases, c.value(), proof));
    }

    List<Ticket> lease(CoordinatorApi api, int max) {
        return api.lease(id, max).tickets();
    }

    static List<ResultReport> answers(List<Ticket> tickets) {
        List<ResultReport> out = new ArrayList<>(tickets.size());
        for (Ticket t : tickets) {
            out.add(ResultReport.of(t.jobId(), t.replica(), t.spec().seed(),
                    ("seed " + t.spec().seed()).getBytes(StandardCharsets.UTF_8), Map.of()));
        }
        return out;
    }

    List<ReportOutcome> report(CoordinatorApi api, List<ResultReport> results) {
        byte[] sig = Keys.sign(keys.getPrivate(), SignedBytes.results(id, results));
        return api.report(new ResultBatch(id, results, sig));
    }
}
