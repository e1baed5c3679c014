package dev.muster.transport.http;

import dev.muster.spi.RequestSigning;
import dev.muster.worker.HttpProblemException;
import dev.muster.worker.WorkerClient;
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

    private StderrCapture log;

    @BeforeEach
    void start() {
        log = StderrCapture.start();
        f = new HttpFixture(Map.of("ratePerWorker", "0", "ratePerAddress", "0", "bodyTimeout", "PT1S"));
        aliceKey = Keys.generate();
        alice = new WorkerClient(f.base, aliceKey);
        alice.register("alice", Capabilities.of(2, 1024), "b", 50);
        bob = new WorkerClient(f.base, Keys.generate());
        bob.register("bob", Capabilities.of(2, 1024), "b", 50);
        assertEquals(201, f.submit(HttpFixture.SUBMITTER_KEY, HttpFixture.echoJobs(4, 1)).status());
    }

    @AfterEach
    void stop() {
        f.close();
        log.stop();
        log.assertNoErrors();
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
        assertNoInternals(r.body().toString());
    }

    /** No stack trace, class or package name, SQL or Jetty page in what a client is told. */
    static void assertNoInternals(String body) {
        for (String internal : List.of("at dev.muster", "dev.muster.", "java.", "org.eclipse", "com.fasterxml",
                "Exception", "<html", "SELECT ", "INSERT ", "$")) {
            assertTrue(!body.contains(internal), "'" + internal + "' in " + body);
        }
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
    void anUnpairedSurrogate_is400_soTwoKeysCannotStoreAsOne() {
        JsonNode before = pool();
        // "ls\ud800" is not text: stored as UTF-8 it would come back as "ls?", another client's key.
        HttpFixture.Reply r = f.submit(HttpFixture.SUBMITTER_KEY,
                "{\"jobs\":[{\"type\":\"echo\",\"payload\":\"AQ==\",\"idempotencyKey\":\"ls\\ud800\"}]}");
        assertProblem(r, 400, "invalid-request");
        assertTrue(r.body().get("detail").asText().contains("unpaired surrogate"), r.body().toString());
        assertEquals(before, pool());
        // A pair is text, and is taken.
        assertEquals(201, f.submit(HttpFixture.SUBMITTER_KEY,
                "{\"jobs\":[{\"type\":\"echo\",\"payload\":\"AQ==\",\"idempotencyKey\":\"ls\\ud83d\\ude00\"}]}").status());
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
    void unknownWorker_is401_ofItsOwnType_soThatWorkersKnowToRegisterAgain() {
        JsonNode before = pool();
        assertProblem(signed(Keys.generate(), "workers/lease", "{\"max\":1}", System.currentTimeMillis(),
                "nonce-nobody"), 401, "unknown-worker");
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

    // ---------------------------------------------------------------- issue 8: what Jetty refuses, and cheap 500s

    /** One raw exchange on its own connection: the request as bytes, the answer as the server wrote it. */
    private RawReply raw(String request) {
        return RawReply.exchange(f.base, request.getBytes(StandardCharsets.ISO_8859_1), -1);
    }

    private static void assertRawProblem(RawReply r, int status, String type) {
        assertEquals(status, r.status(), r.toString());
        assertTrue(r.header("content-type").startsWith("application/problem+json"), r.toString());
        JsonNode body = r.json();
        assertEquals("/problems/" + type, body.get("type").asText(), r.toString());
        assertEquals(status, body.get("status").asInt());
        assertNoInternals(r.body());
    }

    @Test
    void badRequestLine_is400Problem() {
        JsonNode before = pool();
        assertRawProblem(raw("GARBAGE\r\n\r\n"), 400, "bad-request");
        assertRawProblem(raw("GET /v1/health HTTP/9.9\r\nHost: x\r\n\r\n"), 400, "bad-request");
        assertEquals(before, pool());
    }

    @Test
    void badHeader_is400Problem() {
        JsonNode before = pool();
        assertRawProblem(raw("GET /v1/health HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n"), 400, "bad-request");
        assertRawProblem(raw("GET /v1/health HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n"
                + "\r\nhello!"), 400, "bad-request");
        assertEquals(before, pool());
    }

    @Test
    void headersTooLarge_is431Problem() {
        JsonNode before = pool();
        assertRawProblem(raw("GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n"),
                431, "headers-too-large");
        assertEquals(before, pool());
    }

    @Test
    void uriTooLong_is414Problem() {
        JsonNode before = pool();
        RawReply r = raw("GET /v1/health?x=" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(r.status() == 414 || r.status() == 431, r.toString());
        assertRawProblem(r, r.status(), r.status() == 414 ? "uri-too-long" : "headers-too-large");
        assertEquals(before, pool());
    }

    @Test
    void ambiguousOrBadlyEncodedPath_is400Problem() {
        JsonNode before = pool();
        assertRawProblem(raw("GET /v1/jobs%2F1 HTTP/1.1\r\nHost: x\r\n\r\n"), 400, "bad-request");
        assertRawProblem(raw("GET /v1/%2e%2e/v1/health HTTP/1.1\r\nHost: x\r\n\r\n"), 400, "bad-request");
        assertRawProblem(raw("GET /v1/heal%zzth HTTP/1.1\r\nHost: x\r\n\r\n"), 400, "bad-request");
        assertEquals(before, pool());
    }

    @Test
    void badPercentEncodingInQuery_is400Problem() {
        JsonNode before = pool();
        assertRawProblem(raw("GET /v1/leaderboard?scope=%zz HTTP/1.1\r\nHost: x\r\n\r\n"), 400, "bad-request");
        assertRawProblem(raw("GET /v1/leaderboard?scope=%E0%A4 HTTP/1.1\r\nHost: x\r\n\r\n"), 400, "bad-request");
        assertRawProblem(raw("GET /v1/jobs?state=%zz HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + HttpFixture.READER_KEY + "\r\n\r\n"), 400, "bad-request");
        assertEquals(before, pool());
    }

    @Test
    void extremeLeaderboardWindow_is400() {
        JsonNode before = pool();
        for (String window : List.of("PT9223372036854775807S", "P106751991167300D", "PT2562047788015215H",
                "P99999999999999999999D", "P-106751991167300D", "PT0S")) {
            HttpFixture.Reply r = f.call("GET", "leaderboard?window=" + window, null);
            assertProblem(r, 400, "invalid-request");
            assertTrue(r.body().get("detail").asText().contains("window"), r.body().toString());
        }
        assertEquals(200, f.call("GET", "leaderboard?window=P36500D", null).status());
        assertEquals(before, pool());
    }

    @Test
    void extremeLongPollWait_is400_namingWait() {
        JsonNode before = pool();
        long now = System.currentTimeMillis();
        int i = 0;
        for (String wait : List.of("P106751991167300D", "PT2562047788015215H", "-PT1S", "PT3M")) {
            HttpFixture.Reply r = signed(aliceKey, "workers/lease", "{\"max\":1,\"wait\":\"" + wait + "\"}", now,
                    "nonce-wait-" + i++);
            assertProblem(r, 400, "invalid-request");
            assertTrue(r.body().get("detail").asText().contains("wait"), r.body().toString());
        }
        assertEquals(before, pool());
    }

    @Test
    void nullInsideAList_is400_andNamesTheField() {
        JsonNode before = pool();
        HttpFixture.Reply r = f.submit(HttpFixture.SUBMITTER_KEY, "{\"jobs\":[{\"type\":\"echo\",\"payload\":\"AQ==\","
                + "\"requirements\":{\"labels\":[\"x\",null]}}]}");
        assertProblem(r, 400, "invalid-request");
        assertEquals("jobs[0].requirements.labels[1]", r.body().get("field").asText(), r.body().toString());
        assertProblem(f.submit(HttpFixture.SUBMITTER_KEY, "{\"jobs\":[null]}"), 400, "invalid-request");
        assertEquals(before, pool());
    }

    @Test
    void bodyShorterThanContentLength_is400Or408_andChangesNothing() {
        JsonNode before = pool();
        String body = HttpFixture.echoJobs(1, 700);
        byte[] request = ("POST /v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: "
                + "Bearer " + HttpFixture.SUBMITTER_KEY + "\r\nContent-Length: " + (body.length() + 10) + "\r\n\r\n"
                + body).getBytes(StandardCharsets.ISO_8859_1);
        // The client stops sending and waits: the body timeout answers.
        assertRawProblem(RawReply.exchange(f.base, request, -1), 408, "body-timeout");
        // The client stops sending and half-closes: the body is incomplete.
        assertRawProblem(RawReply.exchange(f.base, request, 0), 400, "incomplete-body");
        assertEquals(before, pool());
    }

    @Test
    void chunkedBodyThatNeverEnds_is408() {
        JsonNode before = pool();
        RawReply r = raw("POST /v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer "
                + HttpFixture.SUBMITTER_KEY + "\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"job\r\n");
        assertRawProblem(r, 408, "body-timeout");
        assertEquals(before, pool());
    }

    @Test
    void badChunking_is400Problem() {
        JsonNode before = pool();
        RawReply r = raw("POST /v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer "
                + HttpFixture.SUBMITTER_KEY + "\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n");
        assertEquals(400, r.status(), r.toString());
        assertRawProblem(r, 400, r.json().get("type").asText().substring("/problems/".length()));
        assertRawProblem(raw("POST /v1/jobs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nabc"), 400,
                "bad-request");
        assertEquals(before, pool());
    }

    @Test
    void duplicateKeys_are400_andNameTheField() {
        JsonNode before = pool();
        HttpFixture.Reply r = f.submit(HttpFixture.SUBMITTER_KEY,
                "{\"jobs\":[{\"type\":\"echo\",\"payload\":\"AQ==\",\"seed\":1,\"seed\":2}]}");
        assertProblem(r, 400, "malformed-json");
        assertTrue(r.body().get("detail").asText().contains("seed"), r.body().toString());
        assertEquals(before, pool());
    }

    @Test
    void wrongScalarTypes_are400_andNameTheField() {
        JsonNode before = pool();
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("\"priority\":1.5", "jobs[0].priority");
        cases.put("\"priority\":\"5\"", "jobs[0].priority");
        cases.put("\"seed\":1e3", "jobs[0].seed");
        cases.put("\"seed\":true", "jobs[0].seed");
        cases.put("\"maxAttempts\":\"\"", "jobs[0].maxAttempts");
        cases.put("\"mediaType\":5", "jobs[0].mediaType");
        cases.put("\"requirements\":{\"gpu\":1}", "jobs[0].requirements.gpu");
        cases.put("\"requirements\":{\"gpu\":\"true\"}", "jobs[0].requirements.gpu");
        cases.put("\"requirements\":{\"cores\":99999999999}", "jobs[0].requirements.cores");
        cases.put("\"requirements\":{\"labels\":\"gpu\"}", "jobs[0].requirements.labels");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            HttpFixture.Reply r = f.submit(HttpFixture.SUBMITTER_KEY,
                    "{\"jobs\":[{\"type\":\"echo\",\"payload\":\"AQ==\"," + c.getKey() + "}]}");
            assertProblem(r, 400, "invalid-request");
            assertEquals(c.getValue(), r.body().path("field").asText(), c.getKey() + " -> " + r.body());
            assertTrue(r.body().get("detail").asText().contains(c.getValue()), r.body().toString());
        }
        HttpFixture.Reply r = f.submit(HttpFixture.SUBMITTER_KEY, "{\"jobs\":[{\"type\":\"echo\",\"payload\":5}]}");
        assertProblem(r, 400, "invalid-request");
        assertEquals("jobs[0].payload", r.body().get("field").asText());
        assertEquals(before, pool());
    }

    @Test
    void extremeTimestamps_are401_notOverflowed() {
        JsonNode before = pool();
        int i = 0;
        for (long ts : new long[] {Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1, -1,
                System.currentTimeMillis() + Long.MAX_VALUE / 2}) {
            assertProblem(signed(aliceKey, "workers/lease", "{\"max\":1}", ts, "nonce-extreme-" + i++), 401,
                    "replayed-request");
        }
        assertEquals(before, pool());
    }

    @Test
    void bannedWorker_cannotLogIn_andItsSessionStopsWorking_onEveryWorkerRoute() {
        WorkerClient session = new WorkerClient(f.base, aliceKey).useSessions();
        session.heartbeat();
        Ticket t = session.lease(1).get(0);
        assertEquals(200, f.call("POST", "admin/workers/" + alice.id().value() + "/ban", "{\"reason\":\"test\"}",
                "Authorization", "Bearer " + HttpFixture.ADMIN_KEY, "Content-Type", "application/json").status());
        JsonNode before = pool();
        // The session token still verifies: the coordinator, not the transport, refuses the banned worker.
        List<org.junit.jupiter.api.function.Executable> routes = List.of(session::heartbeat, () -> session.lease(1),
                () -> session.lease(1, java.time.Duration.ofSeconds(1)),
                () -> session.report(List.of(ResultReport.of(t.jobId(), t.replica(), t.seed(), new byte[] {1},
                        Map.of()))),
                () -> session.release(List.of(t), dev.muster.spi.ReleaseReason.NOT_RUN), session::drain);
        for (org.junit.jupiter.api.function.Executable route : routes) {
            HttpProblemException e = org.junit.jupiter.api.Assertions.assertThrows(HttpProblemException.class, route);
            assertEquals(403, e.status());
            assertEquals("/problems/worker-banned", e.type());
        }
        HttpFixture.Reply login = signed(aliceKey, "workers/login", "", System.currentTimeMillis(), "nonce-login-01");
        assertProblem(login, 403, "worker-banned");
        assertTrue(login.body().get("token") == null);
        assertEquals(before, pool());
    }

    @Test
    void requestsJettyRefusesOnItsOwn_areProblems() {
        JsonNode before = pool();
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("GET /v1/health HTTP/1.1\r\n\r\n", "bad-request");
        cases.put("GET /v1/health HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", "bad-request");
        cases.put("CONNECT x:443 HTTP/1.1\r\nHost: x\r\n\r\n", "bad-request");
        cases.put("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "upgrade-required");
        cases.put("POST /v1/jobs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n"
                + "0\r\n\r\n", "bad-request");
        cases.put("POST /v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", "bad-request");
        cases.put("POST /v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n",
                "bad-request");
        cases.put("GET /v1/jobs/%00 HTTP/1.1\r\nHost: x\r\n\r\n", "bad-request");
        cases.put("GET /v1/health HTTP/1.1\r\nHost: x\r\nX: \u0001\r\n\r\n", "bad-request");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            RawReply r = raw(c.getKey());
            assertTrue(r.status() >= 400 && r.status() < 500, c.getKey() + " -> " + r);
            assertRawProblem(r, r.status(), c.getValue());
            assertTrue(!r.body().contains("badMessage"), r.toString());
        }
        assertEquals(before, pool());
    }

    @Test
    void corruptPublicKey_is400_withoutTheProvidersMessage() {
        // Found by HttpFuzzTest: the key provider's message named its exception classes.
        String corrupt = "MCowBQYDK2VwAyE3KsFnuy0/n0kBJC9I20Y9QWaIyuTlWcRQil6cCZkk784=";
        JsonNode challenge = f.call("POST", "workers/challenge", "").body();
        String body = "{\"publicKey\":\"" + corrupt + "\",\"owner\":\"eve\",\"capabilities\":{\"cores\":2},"
                + "\"clientBuild\":\"b\",\"maxConcurrentLeases\":5,\"challenge\":\"" + challenge.get("challenge").asText()
                + "\",\"signature\":\"" + Base64.getEncoder().encodeToString(new byte[64]) + "\"}";
        JsonNode before = pool();
        assertProblem(f.call("POST", "workers/register", body, "Content-Type", "application/json"), 400,
                "invalid-request");
        assertProblem(f.call("PUT", "admin/allowlist/" + "0".repeat(32), "{\"publicKey\":\"" + corrupt + "\"}", "Authorization",
                "Bearer " + HttpFixture.ADMIN_KEY, "Content-Type", "application/json"), 400, "invalid-request");
        assertEquals(before, pool());
    }
}
