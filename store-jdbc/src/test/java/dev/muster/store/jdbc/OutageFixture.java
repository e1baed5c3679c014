package dev.muster.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muster.core.Coordinator;
import dev.muster.spi.Capabilities;
import dev.muster.spi.Digests;
import dev.muster.spi.JobId;
import dev.muster.spi.ReportOutcome;
import dev.muster.spi.ReportStatus;
import dev.muster.spi.Ticket;
import dev.muster.spi.Keys;
import dev.muster.spi.testkit.AcceptAllValidator;
import dev.muster.spi.testkit.SigningWorker;
import dev.muster.worker.HttpProblemException;
import dev.muster.worker.WorkerClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * A coordinator on a JDBC store serving HTTP on loopback, with one worker and one submitter, and
 * a ledger of what it acknowledged: every job id a submission answered 200 with, and every job
 * a report answered ACCEPTED for. Outage tests take its database away under it and check that
 * it answers 503 quickly and plainly, reports not ready, and comes back by itself with nothing
 * acknowledged lost.
 */
final class OutageFixture implements AutoCloseable {
    static final String SUBMIT_KEY = "outage-test-submitter-key";
    /** The type of every job the fixture submits; its validator accepts every result. */
    static final String JOB_TYPE = "pool-test";
    /** What a client must never see in a problem: SQL, driver or class names, stack frames. */
    static final Pattern INTERNALS = Pattern.compile(
            "(?i)\\b(select|insert|update|delete)\\b|sqlstate|jdbc|postgres|psql|\\bh2\\b|org\\.|java\\.|com\\."
                    + "|exception|\\bat dev\\.|\\[\\d{5}-\\d+]");
    private static final ObjectMapper JSON = new ObjectMapper();

    final Coordinator coordinator;
    final URI base;
    final Duration connectionTimeout;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final WorkerClient worker;
    /** Job ids whose submission was acknowledged (HTTP 200). */
    final Set<JobId> submitted = new LinkedHashSet<>();
    /** Job ids whose result was acknowledged as accepted. */
    final Set<JobId> accepted = new LinkedHashSet<>();
    private int seed;

    record Reply(int status, JsonNode body, long millis) {
        String type() {
            return body == null ? null : body.path("type").asText();
        }
    }

    OutageFixture(String url, Duration connectionTimeout) {
        this.connectionTimeout = connectionTimeout;
        Map<String, String> store = new HashMap<>(Map.of("url", url, "poolSize", "4"));
        store.put("connectionTimeout", connectionTimeout.toMillis() + "ms");
        coordinator = Coordinator.builder().store("jdbc", store).validator(new AcceptAllValidator(JOB_TYPE))
                .trustPolicy("quorum", Map.of("replicas", "1", "agree", "1"))
                .housekeepingInterval(Duration.ofMillis(200))
                .transport("http", Map.of("port", "0", "apiKeys",
                        "lab:submit+read:" + Digests.sha256Hex(SUBMIT_KEY.getBytes(StandardCharsets.UTF_8))))
                .build();
        coordinator.start();
        base = coordinator.transports().get(0).address();
        worker = new WorkerClient(base, Keys.generate(), http);
        worker.register("alice", Capabilities.of(4, 4096), "build-1", 1_000);
    }

    Reply get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    /** Submits {@code n} jobs; an acknowledged submission goes into the ledger. */
    Reply submit(int n) {
        StringBuilder body = new StringBuilder("{\"jobs\":[");
        for (int i = 0; i < n; i++) {
            int s = ++seed;
            body.append(i == 0 ? "" : ",").append("{\"type\":\"").append(JOB_TYPE).append("\",\"payload\":\"")
                    .append(Base64.getEncoder().encodeToString(("game " + s).getBytes(StandardCharsets.UTF_8)))
                    .append("\",\"seed\":").append(s).append(",\"timeout\":\"PT1H\"}");
        }
        body.append("]}");
        Reply r = send(HttpRequest.newBuilder(base.resolve("jobs")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        if (r.status() == 201) {
            for (JsonNode j : r.body().get("jobs")) {
                submitted.add(JobId.parse(j.get("id").asText()));
            }
        }
        return r;
    }

    /**
     * Leases up to {@code max} jobs and reports a result for each; results acknowledged as
     * accepted go into the ledger.
     *
     * @return how many were accepted
     */
    int work(int max) {
        List<Ticket> tickets = worker.lease(max);
        if (tickets.isEmpty()) {
            return 0;
        }
        List<ReportOutcome> outcomes = worker.report(SigningWorker.honestAnswers(tickets));
        int n = 0;
        for (ReportOutcome o : outcomes) {
            if (o.status() == ReportStatus.ACCEPTED) {
                accepted.add(o.jobId());
                n++;
            }
        }
        return n;
    }

    /** Works until the queue is empty. */
    void drain() {
        while (work(200) > 0) {
            // keep going
        }
    }

    /** @return the problem a worker call answered with, timed */
    Reply workerCall(Runnable call) {
        long start = System.nanoTime();
        try {
            call.run();
            return new Reply(200, null, millisSince(start));
        } catch (HttpProblemException e) {
            return new Reply(e.status(), JSON.createObjectNode().put("type", e.type()).put("detail", e.getMessage()),
                    millisSince(start));
        }
    }

    /** Asserts a quick, plain 503: the store is unavailable, and nothing about its internals. */
    void assertQuick503(Reply r, String what) {
        assertEquals(503, r.status(), what + ": " + r.body());
        assertEquals("/problems/store-unavailable", r.type(), what + ": " + r.body());
        String detail = r.body().path("detail").asText();
        assertFalse(detail.isBlank(), what);
        assertFalse(INTERNALS.matcher(detail).find(), what + " leaks internals: " + detail);
        long bound = connectionTimeout.toMillis() + 1_000;
        assertTrue(r.millis() < bound, what + " took " + r.millis() + " ms; the bound is " + bound + " ms");
    }

    /** @return milliseconds until {@code condition} held, polling; fails after {@code limit} */
    static long await(String what, Duration limit, BooleanSupplier condition) {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + limit);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting until " + what, e);
            }
        }
        return millisSince(start);
    }

    /** Every acknowledged submission is there under its id, and every acknowledged acceptance stayed accepted. */
    void assertNothingAcknowledgedLost() {
        for (JobId id : submitted) {
            Reply r = get("jobs/" + id);
            assertEquals(200, r.status(), "acknowledged job " + id + " is gone: " + r.body());
            if (accepted.contains(id)) {
                assertEquals("ACCEPTED", r.body().get("state").asText(), "job " + id + " was acknowledged as accepted");
            }
        }
    }

    private Reply send(HttpRequest.Builder request) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(30))
                            .header("Authorization", "Bearer " + SUBMIT_KEY).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = r.body().isEmpty() ? null : JSON.readTree(r.body());
            return new Reply(r.statusCode(), body, millisSince(start));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long millisSince(long start) {
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    @Override
    public void close() {
        coordinator.stop();
    }
}
