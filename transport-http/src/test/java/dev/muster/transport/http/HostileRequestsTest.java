package dev.muster.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.muster.spi.Capabilities;
import dev.muster.spi.Keys;
import dev.muster.spi.ResultReport;
import dev.muster.spi.Ticket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad and hostile requests: each gets its documented 4xx as an RFC 9457 problem, never a 5xx,
 * and leaves the pool as it was.
 */
class HostileRequestsTest {
    private HttpFixture f;
    private KeyPair aliceKey;
    private WorkerClient alice;
    private WorkerClient bob;

    @BeforeEach
    void start() {
        f = new HttpFixture(Map.of("ratePerWorker", "0", "ratePerAddress", "0"));
        aliceKey = Keys.generate();
        alice = new WorkerClient(f.base, aliceKey);
        alice.register("alice", Capabilities.of(2, 1024), "b", 50);
        bob = new WorkerClient(f.base, Keys.generate());
        bob.register("bob", Capabilities.of(2, 1024), "b", 50);
        assertEquals(200, f.submit(HttpFixture.SUBMITTER_KEY, HttpFixture.echoJobs(4, 1)).status());
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private JsonNode pool() {
        return f.call("GET", "pool", null).body();
    }

    private static void assertProblem(HttpFixture.Reply r, int status, String type) {
        assertEquals(status, r.status(), String.valueOf(r.body()));
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        assertEquals("/problems/" + type, r.body().get("type").asText(), r.body().toString());
        assertEquals(status, r.body().get("status").asInt());
        assertNotNull(r.body().get("detail").asText());
        assertTrue(!r.body().toString().contains("at dev.muster"), "no stack trace in " + r.body());
    }

    /** A signed request as the worker client makes it, with every part under the test's control. */
    private HttpFixture.Reply signed(KeyPair key, String path, String body, long timestamp, String nonce) {
        String worker = dev.muster.spi.WorkerId.of(key.getPublic()).value();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        byte[] sig = Keys.sign(key.getPrivate(), RequestSigning.signedBytes("POST", "/v1/" + path, worker, timestamp,
                nonce, bytes));
        return f.call("POST", path, body, RequestSigning.WORKER, worker, RequestSigning.TIMESTAMP,
                Long.toString(timestamp), RequestSigning.NONCE, nonce, RequestSigning.SIGNATURE,
                Base64.getEncoder().encodeToString(sig), "Content-Type", "application/json");
    }

    @Test
    void malformedJson_is400() {
        JsonNode before = pool();
        assertProblem(f.submit(HttpFixture.SUBMITTER_KEY, "{\"jobs\": [ {\"type\": "), 400, "malformed-json");
        assertEquals(before, pool());
    }

    @Test
    void oversizedBody_is413() {
        JsonNode before = pool();
        String huge = "{\"jobs\":[{\"type\":\"echo\",\"payload\":\"" + "A".repeat(70_000) + "\"}]}";
        assertProblem(f.submit(HttpFixture.SUBMITTER_KEY, huge), 413, "too-large");
        assertEquals(before, pool());
    }

    @Test
    void oversizedBatch_is400() {
        JsonNode before = pool();
        assertProblem(f.submit(HttpFixture.SUBMITTER_KEY, HttpFixture.echoJobs(51, 500)), 400, "invalid-request");
        assertEquals(before, pool());
    }

    @Test
    void unknownField_is400() {
        JsonNode before = pool();
        String body = "{\"jobs\":[{\"type\":\"echo\",\"payload\":\"AQ==\",\"priorty\":5}]}";
        HttpFixture.Reply r = f.submit(HttpFixture.SUBMITTER_KEY, body);
        assertProblem(r, 400, "invalid-request");
        assertTrue(r.body().get("detail").asText().contains("priorty"), r.body().toString());
        assertEquals(before, pool());
    }

    @Test
    void unknownJobType_is400_andNamesIt() {
        JsonNode before = pool();
        HttpFixture.Reply r = f.submit(HttpFixture.SUBMITTER_KEY, "{\"jobs\":[{\"type\":\"chess\",\"payload\":\"AQ==\"}]}");
        assertProblem(r, 400, "unknown-job-type");
        assertTrue(r.body().get("detail").asText().contains("chess"));
        assertEquals(before, pool());
    }

    @Test
    void missingSignatureHeaders_is401() {
        JsonNode before = pool();
        assertProblem(f.call("POST", "workers/lease", "{\"max\":4}", "Content-Type", "application/json"), 401,
                "unauthenticated");
        assertEquals(before, pool());
    }

    @Test
    void wrongSignature_is401() {
        JsonNode before = pool();
        KeyPair mallory = Keys.generate();
        String aliceId = alice.id().value();
        long now = System.currentTimeMillis();
        byte[] sig = Keys.sign(mallory.getPrivate(), RequestSigning.signedBytes("POST", "/v1/workers/lease", aliceId,
                now, "nonce-0001", "{\"max\":4}".getBytes(StandardCharsets.UTF_8)));
        HttpFixture.Reply r = f.call("POST", "workers/lease", "{\"max\":4}", RequestSigning.WORKER, aliceId,
                RequestSigning.TIMESTAMP, Long.toString(now), RequestSigning.NONCE, "nonce-0001",
                RequestSigning.SIGNATURE, Base64.getEncoder().encodeToString(sig));
        assertProblem(r, 401, "bad-signature");
        assertEquals(before, pool());
    }

    @Test
    void alteredBody_is401() {
        JsonNode before = pool();
        String worker = alice.id().value();
        long now = System.currentTimeMillis();
        byte[] sig = Keys.sign(aliceKey.getPrivate(), RequestSigning.signedBytes("POST", "/v1/workers/lease", worker,
                now, "nonce-0002", "{\"max\":1}".getBytes(StandardCharsets.UTF_8)));
        HttpFixture.Reply r = f.call("POST", "workers/lease", "{\"max\":4}", RequestSigning.WORKER, worker,
                RequestSigning.TIMESTAMP, Long.toString(now), RequestSigning.NONCE, "nonce-0002",
                RequestSigning.SIGNATURE, Base64.getEncoder().encodeToString(sig));
        assertProblem(r, 401, "bad-signature");
        assertEquals(before, pool());
    }

    @Test
    void replayedRequest_is401_andLeasesNothingMore() {
        long now = System.currentTimeMillis();
        HttpFixture.Reply first = signed(aliceKey, "workers/lease", "{\"max\":1}", now, "nonce-replay-1");
        assertEquals(200, first.status(), String.valueOf(first.body()));
        JsonNode after = pool();
        assertProblem(signed(aliceKey, "workers/lease", "{\"max\":1}", now, "nonce-replay-1"), 401, "replayed-request");
        assertEquals(after, pool());
    }

    @Test
    void expiredTimestamp_is401() {
        JsonNode before = pool();
        long tenMinutesAgo = System.currentTimeMillis() - 600_000;
        assertProblem(signed(aliceKey, "workers/lease", "{\"max\":1}", tenMinutesAgo, "nonce-old-01"), 401,
                "replayed-request");
        assertEquals(before, pool());
    }

    @Test
    void unknownWorker_is401() {
        JsonNode before = pool();
        assertProblem(signed(Keys.generate(), "workers/lease", "{\"max\":1}", System.currentTimeMillis(),
                "nonce-nobody"), 401, "unauthenticated");
        assertEquals(before, pool());
    }

    @Test
    void wrongApiKey_is401_andWrongScope_is403() {
        JsonNode before = pool();
        assertProblem(f.submit("not-a-key", HttpFixture.echoJobs(1, 900)), 401, "unauthenticated");
        assertProblem(f.submit(HttpFixture.READER_KEY, HttpFixture.echoJobs(1, 900)), 403, "forbidden");
        assertProblem(f.call("GET", "admin/rejections", null, "Authorization", "Bearer " + HttpFixture.SUBMITTER_KEY),
                403, "forbidden");
        assertProblem(f.call("POST", "jobs", HttpFixture.echoJobs(1, 900)), 401, "unauthenticated");
        assertEquals(before, pool());
    }

    @Test
    void resultsForAnotherWorkersLease_are409_andChangeNothing() {
        List<Ticket> leased = alice.lease(1);
        assertEquals(1, leased.size());
        Ticket t = leased.get(0);
        JsonNode before = pool();
        ResultReport stolen = ResultReport.of(t.jobId(), t.replica(), t.seed(), new byte[] {1}, Map.of());
        HttpProblemException e = org.junit.jupiter.api.Assertions.assertThrows(HttpProblemException.class,
                () -> bob.report(List.of(stolen)));
        assertEquals(409, e.status());
        assertEquals("/problems/not-leased", e.type());
        JsonNode after = pool();
        assertEquals(before.get("jobs"), after.get("jobs"));
        assertEquals(before.get("activeLeases"), after.get("activeLeases"));
        assertEquals(1, alice.report(List.of(ResultReport.of(t.jobId(), t.replica(), t.seed(), new byte[] {2},
                Map.of()))).size());
    }

    @Test
    void flooding_pastTheRateLimit_is429WithRetryAfter() {
        // A stopped clock: the bucket never refills, so exactly one second's quota passes.
        java.time.InstantSource frozen = java.time.InstantSource.fixed(java.time.Instant.parse("2026-01-01T00:00:00Z"));
        HttpSettings settings = HttpSettings.from(Map.of("port", "0", "ratePerAddress", "5"));
        try (HttpTransport limited = new HttpTransport(f.coordinator, settings, frozen)) {
            limited.start();
            int passed = 0;
            HttpFixture.Reply last = null;
            for (int i = 0; i < 20; i++) {
                HttpFixture.Reply r = f.callAt(limited.address(), "GET", "health");
                if (r.status() == 200) {
                    passed++;
                } else {
                    last = r;
                }
            }
            assertEquals(5, passed);
            assertProblem(last, 429, "rate-limited");
            assertEquals("1", last.raw().headers().firstValue("Retry-After").orElseThrow());
        }
    }

    @Test
    void unknownPathAndWrongMethod_are404And405() {
        assertProblem(f.call("GET", "nothing-here", null), 404, "not-found");
        assertProblem(f.call("DELETE", "health", null), 405, "method-not-allowed");
        assertProblem(f.call("GET", "jobs/not-a-number", null, "Authorization", "Bearer " + HttpFixture.READER_KEY),
                400, "invalid-request");
    }

    @Test
    void forgedRegistration_is401_andRegistersNothing() {
        KeyPair eve = Keys.generate();
        JsonNode challenge = f.call("POST", "workers/challenge", "").body();
        String body = "{\"publicKey\":\"" + Base64.getEncoder().encodeToString(eve.getPublic().getEncoded())
                + "\",\"owner\":\"eve\",\"capabilities\":{\"cores\":2},\"clientBuild\":\"b\",\"maxConcurrentLeases\":5,"
                + "\"challenge\":\"" + challenge.get("challenge").asText() + "\",\"signature\":\""
                + Base64.getEncoder().encodeToString(new byte[64]) + "\"}";
        JsonNode before = pool();
        assertProblem(f.call("POST", "workers/register", body, "Content-Type", "application/json"), 401,
                "bad-signature");
        assertEquals(before, pool());
    }
}
