package dev.muster.core;

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
import dev.muster.spi.TicketBatch;
import dev.muster.spi.Worker;
import dev.muster.spi.WorkerId;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;

/** An in-process worker for tests: its own key, JDK signatures, answers chosen by the test. */
final class TestWorker {
    final KeyPair keys;
    final WorkerId id;
    final String owner;
    final CoordinatorApi api;

    TestWorker(CoordinatorApi api, String owner) {
        this(api, owner, Keys.generate());
    }

    TestWorker(CoordinatorApi api, String owner, KeyPair keys) {
        this.api = api;
        this.owner = owner;
        this.keys = keys;
        this.id = WorkerId.of(keys.getPublic());
    }

    Registration registration(Capabilities caps, String build, int maxLeases) {
        Challenge c = api.challenge();
        byte[] signed = SignedBytes.registration(c.value(), keys.getPublic(), owner, caps, build, maxLeases);
        return new Registration(keys.getPublic(), owner, caps, build, maxLeases, c.value(),
                Keys.sign(keys.getPrivate(), signed));
    }

    Worker register() {
        return api.register(registration(Capabilities.of(4, 4096), "build-1", 100));
    }

    TicketBatch lease(int max) {
        return api.lease(id, max);
    }

    static ResultReport answer(Ticket t, String text) {
        return ResultReport.of(t.jobId(), t.replica(), t.seed(), text.getBytes(StandardCharsets.UTF_8),
                Map.of("turns", "10"));
    }

    ResultBatch signed(List<ResultReport> results) {
        byte[] sig = Keys.sign(keys.getPrivate(), SignedBytes.results(id, results));
        return new ResultBatch(id, results, sig);
    }

    List<ReportOutcome> report(List<ResultReport> results) {
        return api.report(signed(results));
    }

    ReportOutcome report(ResultReport result) {
        return report(List.of(result)).get(0);
    }
}
