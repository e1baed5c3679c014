package dev.muster.transport.http;

import dev.muster.worker.WorkerClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.muster.spi.Capabilities;
import dev.muster.spi.Keys;
import dev.muster.spi.ReportStatus;
import dev.muster.spi.ResultReport;
import dev.muster.spi.Ticket;
import dev.muster.spi.WorkerId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Worker sessions: one signed login, then a bearer token; result batches stay signed. */
class SessionTest {

    @Test
    void session_carriesAWorkerThroughLeaseAndReport() {
        try (HttpFixture f = new HttpFixture(Map.of())) {
            WorkerClient w = new WorkerClient(f.base, Keys.generate()).useSessions();
            w.register("alice", Capabilities.of(2, 1024), "b", 8);
            assertEquals(201, f.submit(HttpFixture.SUBMITTER_KEY, HttpFixture.echoJobs(3, 1)).status());
            List<Ticket> tickets = w.lease(8);
            assertEquals(3, tickets.size());
            assertEquals(List.of(ReportStatus.RECORDED, ReportStatus.RECORDED, ReportStatus.RECORDED),
                    w.report(tickets.stream().map(t -> ResultReport.of(t.jobId(), t.replica(), t.seed(),
                            new byte[] {1}, Map.of())).toList()).stream().map(o -> o.status()).toList());
        }
    }

    @Test
    void forgedMalformedOrForeignTokens_are401_andLoginNeedsASignature() {
        try (HttpFixture f = new HttpFixture(Map.of());
             HttpFixture other = new HttpFixture(Map.of())) {
            WorkerClient w = new WorkerClient(f.base, Keys.generate());
            w.register("alice", Capabilities.of(2, 1024), "b", 8);
            SessionTokens elsewhere = new SessionTokens(new byte[32], Duration.ofMinutes(5));
            String foreign = elsewhere.issue(w.id(), System.currentTimeMillis());
            for (String token : List.of(foreign, "not-a-token", foreign.substring(0, foreign.indexOf('.')) + ".AAAA")) {
                HttpFixture.Reply r = f.call("POST", "workers/lease", "{\"max\":1}", "Authorization",
                        HttpTransport.SESSION_SCHEME + token);
                assertEquals(401, r.status(), token);
                assertEquals("/problems/bad-session", r.body().get("type").asText());
            }
            assertEquals(401, f.call("POST", "workers/login", "", "Authorization",
                    HttpTransport.SESSION_SCHEME + foreign).status());
            assertEquals(0, other.call("GET", "pool", null).body().get("activeLeases").asInt());
        }
    }

    @Test
    void expiredToken_is401() {
        SessionTokens tokens = new SessionTokens(new byte[32], Duration.ofSeconds(10));
        WorkerId id = WorkerId.of(Keys.generate().getPublic());
        long t0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
        String token = tokens.issue(id, t0);
        assertEquals(id, tokens.verify(token, t0 + 9_000));
        HttpError e = assertThrows(HttpError.class, () -> tokens.verify(token, t0 + 11_000));
        assertEquals("session-expired", e.type);
    }
}
