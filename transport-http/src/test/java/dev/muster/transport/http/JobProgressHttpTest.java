package dev.muster.transport.http;

import dev.muster.worker.WorkerClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.muster.spi.Capabilities;
import dev.muster.spi.Keys;
import dev.muster.spi.ResultReport;
import dev.muster.spi.Ticket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A submitter follows a job's replicas: wanted, reported, agreeing, still out; never what they answered. */
class JobProgressHttpTest {
    private static JsonNode progress(HttpFixture f, String id) {
        HttpFixture.Reply r = f.call("GET", "jobs/" + id, null, "Authorization", "Bearer " + HttpFixture.SUBMITTER_KEY);
        assertEquals(200, r.status(), String.valueOf(r.body()));
        return r.body().get("progress");
    }

    private static List<Integer> counts(JsonNode p) {
        return List.of(p.get("wanted").asInt(), p.get("reported").asInt(), p.get("agreeing").asInt(),
                p.get("outstanding").asInt());
    }

    private static void answer(HttpFixture f, String owner, String text) {
        WorkerClient w = new WorkerClient(f.base, Keys.generate());
        w.register(owner, Capabilities.of(2, 1024), "progress-test", 1);
        Ticket t = w.lease(1).get(0);
        w.report(List.of(ResultReport.of(t.jobId(), t.replica(), t.seed(), text.getBytes(StandardCharsets.UTF_8),
                Map.of())));
    }

    @Test
    void theJobResource_showsItsReplicasAsTheyComeIn_andTheListDoesNot() {
        try (HttpFixture f = new HttpFixture(Map.of())) {
            String id = f.submit(HttpFixture.SUBMITTER_KEY, HttpFixture.echoJobs(1, 5)).body().get("jobs").get(0)
                    .get("id").asText();
            assertEquals(List.of(2, 0, 0, 2), counts(progress(f, id)));
            answer(f, "alice", "alice wins");
            assertEquals(List.of(2, 1, 1, 1), counts(progress(f, id)));
            answer(f, "mallory", "mallory wins");
            assertEquals(List.of(3, 2, 1, 1), counts(progress(f, id)), "a disagreement adds a replica");
            answer(f, "carol", "alice wins");
            JsonNode done = progress(f, id);
            assertEquals(List.of(3, 3, 2, 0), counts(done));
            assertFalse(done.toString().contains("wins"), "progress tells nothing of the answers: " + done);

            JsonNode listed = f.call("GET", "jobs", null, "Authorization", "Bearer " + HttpFixture.SUBMITTER_KEY)
                    .body().get("jobs").get(0);
            assertFalse(listed.has("progress"), "a listing reads no results: " + listed);
        }
    }
}
