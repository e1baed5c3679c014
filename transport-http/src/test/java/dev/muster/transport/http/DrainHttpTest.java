package dev.muster.transport.http;

import dev.muster.worker.WorkerClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.spi.Capabilities;
import dev.muster.spi.Keys;
import java.security.KeyPair;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A worker's own drain (leaving) against an admin's drain, over HTTP. */
class DrainHttpTest {
    private HttpFixture f;

    @BeforeEach
    void start() {
        f = new HttpFixture(Map.of());
        assertEquals(201, f.submit(HttpFixture.SUBMITTER_KEY, HttpFixture.echoJobs(3, 1)).status());
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private String admin(String path) {
        HttpFixture.Reply r = f.call("POST", path, "", "Authorization", "Bearer " + HttpFixture.ADMIN_KEY);
        assertEquals(200, r.status(), String.valueOf(r.body()));
        return r.body().get("state").asText();
    }

    private String state(WorkerClient w) {
        return f.coordinator.worker(w.id()).orElseThrow().state().name();
    }

    @Test
    void workerThatDrainedItselfOnShutdown_worksAgainAfterRegisteringAgain() {
        KeyPair key = Keys.generate();
        WorkerClient w = new WorkerClient(f.base, key);
        w.register("alice", Capabilities.of(2, 1024), "b", 4);
        w.drain();
        assertEquals("LEAVING", state(w));
        assertTrue(w.lease(1).isEmpty());
        WorkerClient restarted = new WorkerClient(f.base, key);
        restarted.register("alice", Capabilities.of(2, 1024), "b", 4);
        assertEquals("ACTIVE", state(restarted));
        assertEquals(1, restarted.lease(1).size());
    }

    @Test
    void adminDrain_survivesTheWorkerRegisteringAgain_untilTheAdminResumesIt() {
        KeyPair key = Keys.generate();
        WorkerClient w = new WorkerClient(f.base, key);
        w.register("alice", Capabilities.of(2, 1024), "b", 4);
        assertEquals("DRAINING", admin("admin/workers/" + w.id().value() + "/drain"));
        w.drain();
        new WorkerClient(f.base, key).register("alice", Capabilities.of(2, 1024), "b", 4);
        assertEquals("DRAINING", state(w));
        assertTrue(w.lease(1).isEmpty());
        assertEquals("ACTIVE", admin("admin/workers/" + w.id().value() + "/resume"));
        assertEquals(1, w.lease(1).size());
        HttpFixture.Reply unknown = f.call("POST", "admin/workers/0123456789abcdef0123456789abcdef/resume", "",
                "Authorization", "Bearer " + HttpFixture.ADMIN_KEY);
        assertEquals(404, unknown.status());
        assertEquals(401, f.call("POST", "admin/workers/" + w.id().value() + "/resume", "").status());
    }
}
