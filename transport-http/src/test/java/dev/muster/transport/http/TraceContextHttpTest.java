package dev.muster.transport.http;

import dev.muster.worker.WorkerClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.muster.spi.Capabilities;
import dev.muster.spi.Keys;
import dev.muster.spi.Ticket;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A submitter's W3C trace context over HTTP: from the request to its jobs and to workers' tickets. */
class TraceContextHttpTest {
    private static final String HEADER = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private static final String OWN = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00";

    private static String job(int seed, String traceparent) {
        return "{\"type\":\"echo\",\"payload\":\"" + Base64.getEncoder().encodeToString(("g" + seed).getBytes())
                + "\",\"seed\":" + seed + (traceparent == null ? "" : ",\"traceparent\":\"" + traceparent + "\"") + "}";
    }

    @Test
    void theHeaderGoesToJobsWithoutTheirOwn_andOnToTheWorkersTickets() {
        try (HttpFixture f = new HttpFixture(Map.of())) {
            HttpFixture.Reply r = f.call("POST", "jobs", "{\"jobs\":[" + job(1, null) + "," + job(2, OWN) + "]}",
                    "Authorization", "Bearer " + HttpFixture.SUBMITTER_KEY, "Content-Type", "application/json",
                    "traceparent", HEADER);
            assertEquals(201, r.status(), String.valueOf(r.body()));
            assertEquals(HEADER, r.body().get("jobs").get(0).get("traceparent").asText());
            assertEquals(OWN, r.body().get("jobs").get(1).get("traceparent").asText(), "a job's own trace wins");

            WorkerClient w = new WorkerClient(f.base, Keys.generate());
            w.register("alice", Capabilities.of(2, 1024), "test-build", 10);
            List<Ticket> tickets = w.lease(10);
            assertEquals(2, tickets.size());
            assertEquals(HEADER, tickets.get(0).traceparent());
            assertEquals(HEADER, tickets.get(0).spec().traceparent());
            assertEquals(OWN, tickets.get(1).traceparent());

            HttpFixture.Reply untraced = f.submit(HttpFixture.SUBMITTER_KEY, "{\"jobs\":[" + job(3, null) + "]}");
            assertFalse(untraced.body().get("jobs").get(0).has("traceparent"));
        }
    }

    @Test
    void aMalformedHeader_isIgnored_butAMalformedFieldIsA400_andCreatesNothing() {
        try (HttpFixture f = new HttpFixture(Map.of())) {
            HttpFixture.Reply header = f.call("POST", "jobs", "{\"jobs\":[" + job(1, null) + "]}", "Authorization",
                    "Bearer " + HttpFixture.SUBMITTER_KEY, "Content-Type", "application/json", "traceparent",
                    "00-not-a-trace");
            assertEquals(201, header.status(), "W3C Trace Context: an invalid header is dropped, not an error");
            assertFalse(header.body().get("jobs").get(0).has("traceparent"));
            HttpFixture.Reply field = f.submit(HttpFixture.SUBMITTER_KEY, "{\"jobs\":[" + job(2, null) + ","
                    + job(3, HEADER.toUpperCase()) + "]}");
            assertEquals(400, field.status());
            assertEquals("/problems/invalid-request", field.body().get("type").asText());
            assertEquals(1, f.coordinator.summary().jobs().values().stream().mapToLong(Long::longValue).sum(),
                    "the refused batch added nothing");
        }
    }
}
