package dev.muster.transport.http;

import dev.muster.worker.WorkerClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.muster.spi.Capabilities;
import dev.muster.spi.Keys;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The operators' status and owners' public profiles over HTTP: who may read them, and what they hold. */
class StatusHttpTest {
    @Test
    void status_isForAdmins_andCountsWhatIsQueued() {
        try (HttpFixture f = new HttpFixture(Map.of())) {
            assertEquals(201, f.submit(HttpFixture.SUBMITTER_KEY, HttpFixture.echoJobs(3, 1)).status());
            new WorkerClient(f.base, Keys.generate()).register("alice",
                    new Capabilities(2, 1024, false, Set.of("tier:gold")), "test-build", 5);

            HttpFixture.Reply anonymous = f.call("GET", "admin/status", null);
            assertEquals(401, anonymous.status());
            assertTrue(anonymous.contentType().startsWith("application/problem+json"), anonymous.contentType());
            assertEquals(403, f.call("GET", "admin/status", null, "Authorization", "Bearer "
                    + HttpFixture.SUBMITTER_KEY).status());

            HttpFixture.Reply r = f.call("GET", "admin/status", null, "Authorization", "Bearer " + HttpFixture.ADMIN_KEY);
            assertEquals(200, r.status());
            JsonNode open = r.body().get("openJobs");
            assertEquals(1, open.size());
            assertEquals("echo", open.get(0).get("type").asText());
            assertEquals(3, open.get(0).get("queued").asInt());
            JsonNode workers = r.body().get("workers");
            assertEquals("gold", workers.get(0).get("tier").asText());
            assertEquals(5, workers.get(0).get("capacity").asInt());
            assertEquals(0, r.body().get("unmet").size(), "the worker can take every queued job");
            assertEquals(3, r.body().get("summary").get("jobs").get("QUEUED").asInt());
            assertEquals(405, f.call("POST", "admin/status", "{}", "Authorization", "Bearer "
                    + HttpFixture.ADMIN_KEY).status());
        }
    }

    @Test
    void ownerProfiles_arePublic_holdNoSecrets_andUnknownOwnersAreA404() {
        try (HttpFixture f = new HttpFixture(Map.of())) {
            WorkerClient w = new WorkerClient(f.base, Keys.generate());
            w.register("team/alice", new Capabilities(8, 4096, true, Set.of("tier:gold", "site:basement")),
                    "secret-build-7", 5);

            HttpFixture.Reply r = f.call("GET", "owners?name=team%2Falice", null);
            assertEquals(200, r.status(), String.valueOf(r.body()));
            assertEquals("team/alice", r.body().get("name").asText(), "a name may hold a slash");
            assertEquals(0, r.body().get("results").asInt());
            JsonNode worker = r.body().get("workers").get(0);
            assertEquals(w.id().value(), worker.get("id").asText());
            assertEquals("gold", worker.get("tier").asText());
            assertTrue(worker.get("active").asBoolean());
            assertTrue(worker.get("lastContact").asText().endsWith(":00:00Z"), "to the hour: " + worker);
            String text = r.body().toString();
            assertFalse(text.contains("basement") || text.contains("secret-build-7") || text.contains("memory")
                    || text.contains("ACTIVE"), "labels beyond the tier, builds, memory and states stay private: " + text);

            HttpFixture.Reply unknown = f.call("GET", "owners?name=nobody", null);
            assertEquals(404, unknown.status());
            assertEquals("/problems/unknown-owner", unknown.body().get("type").asText());
            assertEquals(400, f.call("GET", "owners?name=" + "x".repeat(129), null).status());
            assertEquals(400, f.call("GET", "owners", null).status(), "a name is needed");
            assertEquals(404, f.call("GET", "owners/team", null).status());
            assertEquals(405, f.call("DELETE", "owners?name=team%2Falice", null).status());
        }
    }
}
