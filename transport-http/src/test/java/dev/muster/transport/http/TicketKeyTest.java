package dev.muster.transport.http;

import dev.muster.worker.WorkerClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.muster.core.Coordinator;
import dev.muster.spi.Capabilities;
import dev.muster.spi.Digests;
import dev.muster.spi.ErrorCode;
import dev.muster.spi.JobId;
import dev.muster.spi.JobSpec;
import dev.muster.spi.Keys;
import dev.muster.spi.MusterException;
import dev.muster.spi.SignedBytes;
import dev.muster.spi.Ticket;
import dev.muster.spi.TicketBatch;
import dev.muster.spi.WorkerId;
import dev.muster.store.memory.MemoryStore;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Workers pin the coordinator's ticket-signing key and refuse batches it did not sign. */
class TicketKeyTest {
    private static WorkerClient registered(HttpFixture f, KeyPair key) {
        WorkerClient w = new WorkerClient(f.base, key);
        w.register("alice", Capabilities.of(2, 1024), "test-build", 10);
        return w;
    }

    @Test
    void theKeyIsPublished_andPinnedOnFirstContact() {
        try (HttpFixture f = new HttpFixture(Map.of())) {
            HttpFixture.Reply r = f.call("GET", "coordinator/key", null);
            assertEquals(200, r.status());
            assertTrue(r.body().get("signsTickets").asBoolean());
            assertEquals("Ed25519", r.body().get("algorithm").asText());
            java.security.PublicKey published = Keys.publicKey(
                    java.util.Base64.getDecoder().decode(r.body().get("publicKey").asText()));
            assertEquals(f.coordinator.ticketSigningKey().orElseThrow(), published);
            assertEquals(published, Keys.publicKeyFromPem(r.body().get("pem").asText()));

            WorkerClient w = registered(f, Keys.generate());
            assertTrue(w.coordinatorKey().isEmpty());
            assertEquals(201, f.submit(HttpFixture.SUBMITTER_KEY, HttpFixture.echoJobs(2, 7)).status());
            assertEquals(2, w.lease(5).size(), "a batch signed by the published key is accepted");
            assertEquals(published, w.coordinatorKey().orElseThrow(), "pinned on first contact");
        }
    }

    @Test
    void aWorkerPinnedToAnotherKey_refusesTheBatch_andRunsNoneOfIt() {
        try (HttpFixture f = new HttpFixture(Map.of())) {
            WorkerClient w = registered(f, Keys.generate()).pinCoordinatorKey(Keys.generate().getPublic());
            assertEquals(201, f.submit(HttpFixture.SUBMITTER_KEY, HttpFixture.echoJobs(2, 7)).status());
            MusterException e = assertThrows(MusterException.class, () -> w.lease(5));
            assertEquals(ErrorCode.BAD_SIGNATURE, e.error());
            assertTrue(e.getMessage().contains("not signed by the pinned coordinator key"), e.getMessage());
            // Given back unrun: a rightly pinned worker gets both jobs now, and no attempt was spent.
            List<Ticket> again = registered(f, Keys.generate()).lease(5);
            assertEquals(2, again.size());
            for (Ticket t : again) {
                assertEquals(0, f.coordinator.job(t.jobId()).orElseThrow().attempts());
            }
        }
    }

    @Test
    void withSignaturesOff_theKeyIsNotPublished_andBatchesAreTakenUnsigned() {
        Coordinator c = Coordinator.builder().store(new MemoryStore()).trustPolicy("quorum", Map.of("replicas", "1"))
                .validator(new TestValidator()).housekeepingInterval(Duration.ZERO).signatures(false)
                .transport("http", Map.of("port", "0", "apiKeys", "deck-lab:submit+read:"
                        + ApiKeys.hash(HttpFixture.SUBMITTER_KEY))).build();
        c.start();
        try (HttpFixture f = new HttpFixture(c)) {
            HttpFixture.Reply r = f.call("GET", "coordinator/key", null);
            assertEquals(200, r.status());
            assertFalse(r.body().get("signsTickets").asBoolean());
            assertFalse(r.body().has("publicKey"));
            WorkerClient w = registered(f, Keys.generate());
            assertEquals(201, f.submit(HttpFixture.SUBMITTER_KEY, HttpFixture.echoJobs(1, 7)).status());
            assertEquals(1, w.lease(5).size());
            assertTrue(w.coordinatorKey().isEmpty());
        }
    }

    /**
     * A batch altered on the way (any field a worker acts on) or meant for another worker is
     * refused; the same batch unaltered is taken. Served by a stand-in coordinator that signs with
     * the pinned key, so that the test controls every byte.
     */
    @Test
    void anAlteredBatch_isRefused_fieldByField() throws IOException {
        KeyPair coordinatorKey = Keys.generate();
        KeyPair workerKey = Keys.generate();
        WorkerId worker = WorkerId.of(workerKey.getPublic());
        byte[] payload = "deal 7".getBytes(StandardCharsets.UTF_8);
        Ticket ticket = new Ticket(JobId.of(42), 0, "echo", JobSpec.builder("echo", payload).seed(7).build(),
                Digests.sha256Hex(payload), Instant.parse("2026-03-01T12:10:00Z"));
        Instant issued = Instant.parse("2026-03-01T12:00:00.123Z");
        TicketBatch signed = new TicketBatch(worker, issued, List.of(ticket), Keys.sign(coordinatorKey.getPrivate(),
                SignedBytes.tickets(worker, issued, List.of(ticket))));
        JsonNode good = Json.MAPPER.valueToTree(Wire.TicketBatchView.of(signed));
        Map<String, Consumer<ObjectNode>> tampering = Map.of(
                "seed", b -> ticket(b).put("seed", 8),
                "type", b -> ticket(b).put("type", "other"),
                "mediaType", b -> ticket(b).put("mediaType", "text/plain"),
                "deadline", b -> ticket(b).put("deadline", "2026-03-01T13:10:00Z"),
                "replica", b -> ticket(b).put("replica", 1),
                "jobId", b -> ticket(b).put("jobId", JobId.of(43).toString()),
                "issuedAt", b -> b.put("issuedAt", "2026-03-01T12:00:01Z"),
                "worker", b -> b.put("worker", WorkerId.of(Keys.generate().getPublic()).value()),
                "signature", b -> b.put("signature", ""));
        JsonNode[] serve = {good};
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/workers/lease", ex -> reply(ex, serve[0]));
        server.start();
        try {
            URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/");
            WorkerClient w = new WorkerClient(base, workerKey).pinCoordinatorKey(coordinatorKey.getPublic());
            assertEquals(List.of(ticket.jobId()), w.lease(1).stream().map(Ticket::jobId).toList(), "unaltered: taken");
            for (Map.Entry<String, Consumer<ObjectNode>> t : tampering.entrySet()) {
                ObjectNode altered = (ObjectNode) good.deepCopy();
                t.getValue().accept(altered);
                serve[0] = altered;
                MusterException e = assertThrows(MusterException.class, () -> w.lease(1), t.getKey());
                assertEquals(ErrorCode.BAD_SIGNATURE, e.error(), t.getKey());
            }
        } finally {
            server.stop(0);
        }
    }

    private static ObjectNode ticket(ObjectNode batch) {
        return (ObjectNode) batch.get("tickets").get(0);
    }

    private static void reply(com.sun.net.httpserver.HttpExchange ex, JsonNode body) throws IOException {
        byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
