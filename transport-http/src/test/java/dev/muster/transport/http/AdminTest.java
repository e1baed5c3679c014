package dev.muster.transport.http;

import dev.muster.worker.HttpProblemException;
import dev.muster.worker.WorkerClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.core.Coordinator;
import dev.muster.core.policy.AllowlistPolicy;
import dev.muster.spi.Capabilities;
import dev.muster.spi.Keys;
import dev.muster.store.memory.MemoryStore;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Admin endpoints on a trusted pool: allowlist edits, drain and ban. */
class AdminTest {
    @Test
    void allowlistPut_letsAWorkerJoin_andDrainAndBanTakeEffect_andDeleteTakesTheKeyOff() {
        String admin = "admin-key";
        Coordinator c = Coordinator.builder().store(new MemoryStore()).trustPolicy(new AllowlistPolicy(List.of()))
                .validator(new TestValidator()).housekeepingInterval(Duration.ZERO)
                .transport("http", Map.of("port", "0", "apiKeys", "ops:admin:" + ApiKeys.hash(admin))).build();
        c.start();
        try (HttpFixture f = new HttpFixture(c)) {
            KeyPair key = Keys.generate();
            WorkerClient w = new WorkerClient(f.base, key);
            HttpProblemException refused = assertThrows(HttpProblemException.class,
                    () -> w.register("alice", Capabilities.of(1, 512), "b", 4));
            assertEquals(403, refused.status());

            String body = "{\"publicKey\":\"" + Base64.getEncoder().encodeToString(key.getPublic().getEncoded()) + "\"}";
            String id = w.id().value();
            HttpFixture.Reply wrongPlace = f.call("PUT", "admin/allowlist/" + "0".repeat(32), body, "Authorization",
                    "Bearer " + admin);
            assertEquals(400, wrongPlace.status(), "the key must be put at its own worker id");
            assertTrue(wrongPlace.body().get("detail").asText().contains("/v1/admin/allowlist/" + id));
            HttpFixture.Reply added = f.call("PUT", "admin/allowlist/" + id, body, "Authorization", "Bearer " + admin);
            assertEquals(201, added.status(), String.valueOf(added.body()));
            assertEquals(id, added.body().get("worker").asText());
            assertEquals(200, f.call("PUT", "admin/allowlist/" + id, body, "Authorization", "Bearer " + admin).status(),
                    "putting it again changes nothing");
            w.register("alice", Capabilities.of(1, 512), "b", 4);

            assertEquals("DRAINING", f.call("POST", "admin/workers/" + id + "/drain", "", "Authorization",
                    "Bearer " + admin).body().get("state").asText());
            assertEquals("BANNED", f.call("POST", "admin/workers/" + id + "/ban", "{\"reason\":\"test\"}",
                    "Authorization", "Bearer " + admin).body().get("state").asText());
            assertEquals(403, assertThrows(HttpProblemException.class, () -> w.lease(1)).status());
            HttpFixture.Reply deleted = f.call("DELETE", "admin/allowlist/" + id, null, "Authorization",
                    "Bearer " + admin);
            assertEquals(204, deleted.status());
            assertEquals(0, deleted.raw().body().length, "no body");
            assertEquals(404, f.call("DELETE", "admin/allowlist/" + id, null, "Authorization", "Bearer " + admin)
                    .status(), "not listed any more");
            assertEquals(405, f.call("POST", "admin/allowlist/" + id, body, "Authorization", "Bearer " + admin)
                    .status());
            assertTrue(c.workers(null, 10).stream().anyMatch(x -> x.id().equals(w.id())));
        }
    }
}
