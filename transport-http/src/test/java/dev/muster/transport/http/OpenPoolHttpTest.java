package dev.muster.transport.http;

import dev.muster.worker.WorkerClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.core.Coordinator;
import dev.muster.spi.Capabilities;
import dev.muster.spi.CoordinatorEvent;
import dev.muster.spi.Keys;
import dev.muster.spi.MusterException;
import dev.muster.spi.ReportOutcome;
import dev.muster.spi.ReportStatus;
import dev.muster.spi.ResultReport;
import dev.muster.spi.Ticket;
import dev.muster.store.memory.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The open pool under the {@code credibility} policy, through the HTTP API as a hostile volunteer
 * would use it: with open sign-up, fresh keys and owner accounts cost little, and still cannot
 * decide or fail a job.
 */
class OpenPoolHttpTest {
    private static final long SEED = 20261124;
    private final List<CoordinatorEvent> events = new CopyOnWriteArrayList<>();
    private HttpFixture f;
    private int keys;

    @BeforeEach
    void open() {
        Coordinator c = Coordinator.builder().store(new MemoryStore())
                .trustPolicy("credibility", Map.of("fMax", "0.2", "epsilon", "1e-4", "spotChecks", "0.01"))
                .ownerSignUp(true).random(new Random(SEED)).validator(new TestValidator()).listener(events::add)
                .housekeepingInterval(Duration.ZERO).transport("http", Map.of("port", "0", "apiKeys",
                        "deck-lab:submit+read:" + ApiKeys.hash(HttpFixture.SUBMITTER_KEY) + ",ops:admin:"
                                + ApiKeys.hash(HttpFixture.ADMIN_KEY), "signUpsPerAddressPerHour", "100"))
                .build();
        c.start();
        f = new HttpFixture(c);
    }

    @AfterEach
    void close() {
        f.close();
    }

    /** A new key under a new owner account, made by open sign-up as anyone can. */
    private WorkerClient fresh() {
        String name = "volunteer-" + ++keys;
        HttpFixture.Reply account = f.call("POST", "owners", "{\"name\":\"" + name + "\"}", "Content-Type",
                "application/json");
        assertEquals(201, account.status(), String.valueOf(account.body()));
        WorkerClient w = new WorkerClient(f.base, Keys.generate());
        w.register(name, account.body().get("secret").asText(), Capabilities.of(2, 1024), "test-build", 4);
        return w;
    }

    private String submitOne(int maxAttempts) {
        String body = "{\"jobs\":[{\"type\":\"echo\",\"payload\":\"Z2FtZQ==\",\"seed\":5,\"maxAttempts\":"
                + maxAttempts + "}]}";
        HttpFixture.Reply r = f.submit(HttpFixture.SUBMITTER_KEY, body);
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.body().get("jobs").get(0).get("id").asText();
    }

    private HttpFixture.Reply job(String id) {
        return f.call("GET", "jobs/" + id, null, "Authorization", "Bearer " + HttpFixture.SUBMITTER_KEY);
    }

    private static ReportOutcome answer(WorkerClient w, String text) {
        List<Ticket> t = w.lease(1);
        assertEquals(1, t.size(), "one ticket for " + w.id());
        return w.report(List.of(ResultReport.of(t.get(0).jobId(), t.get(0).replica(), t.get(0).seed(),
                text.getBytes(StandardCharsets.UTF_8), Map.of()))).get(0);
    }

    @Test
    void twoFreshKeysUnderTwoOwnerAccounts_cannotGetAMadeUpResultAccepted() {
        String id = submitOne(3);
        WorkerClient m1 = fresh();
        WorkerClient m2 = fresh();
        assertEquals(ReportStatus.RECORDED, answer(m1, "made up").status());
        assertEquals(ReportStatus.RECORDED, answer(m2, "made up").status());
        HttpFixture.Reply j = job(id);
        assertEquals("RUNNING", j.body().get("state").asText(), String.valueOf(j.body()));
        assertEquals(404, f.call("GET", "jobs/" + id + "/result", null, "Authorization",
                "Bearer " + HttpFixture.SUBMITTER_KEY).status(), "no result reaches the submitter");
        HttpFixture.Reply board = f.call("GET", "leaderboard?scope=owner", null);
        assertEquals(0, board.body().get("entries").size(), String.valueOf(board.body()));
    }

    @Test
    void threeThrowAwayKeysReportingGarbage_cannotFailAJob() {
        String id = submitOne(3);
        for (int i = 0; i < 3; i++) {
            // Every result of the report was refused: the client says so as a 422 problem.
            MusterException e = assertThrows(MusterException.class, () -> answer(fresh(), ""));
            assertTrue(e.getMessage().contains("INVALID"), e.getMessage());
        }
        HttpFixture.Reply j = job(id);
        assertNotEquals("FAILED", j.body().get("state").asText(), String.valueOf(j.body()));
        assertEquals(0, j.body().get("attempts").asInt());
        assertEquals(ReportStatus.RECORDED, answer(fresh(), "right").status(), "the job is still there to run");
    }

    @Test
    void aRetraction_reachesAListener_andReopensTheJob() {
        String id = submitOne(3);
        List<WorkerClient> cartel = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            WorkerClient w = fresh();
            cartel.add(w);
            answer(w, "made up");
        }
        assertEquals("ACCEPTED", job(id).body().get("state").asText());

        String banned = cartel.get(3).id().value();
        HttpFixture.Reply ban = f.call("POST", "admin/workers/" + banned + "/ban", "{\"reason\":\"caught\"}",
                "Authorization", "Bearer " + HttpFixture.ADMIN_KEY, "Content-Type", "application/json");
        assertEquals(200, ban.status(), String.valueOf(ban.body()));
        f.coordinator.runHousekeeping();

        HttpFixture.Reply j = job(id);
        assertEquals("RUNNING", j.body().get("state").asText(), String.valueOf(j.body()));
        CoordinatorEvent.JobRetracted r = events.stream().filter(e -> e instanceof CoordinatorEvent.JobRetracted)
                .map(CoordinatorEvent.JobRetracted.class::cast).findFirst().orElseThrow();
        assertEquals(id, r.job().id().toString());
        HttpFixture.Reply standing = f.call("GET", "admin/workers/" + banned + "/standing", null,
                "Authorization", "Bearer " + HttpFixture.ADMIN_KEY);
        assertEquals(200, standing.status());
        assertTrue(standing.body().get("banned").asBoolean());
        assertTrue(standing.body().get("backtracked").asBoolean());
        assertEquals("caught", standing.body().get("banReason").asText());
        assertEquals(403, f.call("GET", "admin/workers/" + banned + "/standing", null,
                "Authorization", "Bearer " + HttpFixture.SUBMITTER_KEY).status(), "standings are for admins");
        assertEquals(1, fresh().lease(1).size(), "the reopened job is leased again");
    }
}
