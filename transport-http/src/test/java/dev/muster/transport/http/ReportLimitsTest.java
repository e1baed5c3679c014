package dev.muster.transport.http;

import dev.muster.worker.HttpProblemException;
import dev.muster.worker.WorkerClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.spi.Capabilities;
import dev.muster.spi.Keys;
import dev.muster.spi.Limits;
import dev.muster.spi.RejectionReason;
import dev.muster.spi.ReportOutcome;
import dev.muster.spi.ReportStatus;
import dev.muster.spi.ResultReport;
import dev.muster.spi.Ticket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Over HTTP, a worker value over its limit is a 400 naming it, and a result whose metadata is over
 * its limits is rejected on its own while the rest of the report is taken (200).
 */
class ReportLimitsTest {
    @Test
    void aResultOverItsMetadataLimit_isRejectedAlone_andTheRestOfTheReportIsTaken() {
        try (HttpFixture f = new HttpFixture(Map.of("maxBodyBytes", "262144"))) {
            WorkerClient refused = new WorkerClient(f.base, Keys.generate());
            HttpProblemException e = assertThrows(HttpProblemException.class, () -> refused.register("alice",
                    Capabilities.of(2, 1024), "b".repeat(Limits.CLIENT_BUILD.max() + 1), 10));
            assertEquals(400, e.status());
            assertTrue(e.getMessage().contains("clientBuild is 201 characters long; the limit is 200"), e.getMessage());

            WorkerClient w = new WorkerClient(f.base, Keys.generate());
            w.register("o".repeat(Limits.OWNER.max()), Capabilities.of(2, 1024), "b".repeat(Limits.CLIENT_BUILD.max()),
                    10);
            assertEquals(201, f.submit(HttpFixture.SUBMITTER_KEY, HttpFixture.echoJobs(3, 0)).status());
            List<Ticket> tickets = w.lease(3);
            assertEquals(3, tickets.size());
            List<ResultReport> results = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Ticket t = tickets.get(i);
                Map<String, String> metadata = i == 1 ? Map.of("k".repeat(Limits.METADATA_KEY.max() + 1), "v")
                        : Map.of("k".repeat(Limits.METADATA_KEY.max()), "v".repeat(Limits.METADATA_VALUE.max()));
                results.add(ResultReport.of(t.jobId(), t.replica(), t.seed(),
                        ("result " + i).getBytes(StandardCharsets.UTF_8), metadata));
            }
            List<ReportOutcome> outcomes = w.report(results);
            assertEquals(ReportStatus.RECORDED, outcomes.get(0).status(), outcomes.get(0).detail());
            assertEquals(RejectionReason.TOO_LARGE, outcomes.get(1).reason());
            assertTrue(outcomes.get(1).detail().endsWith("is 1025 characters long; the limit is 1024"),
                    outcomes.get(1).detail());
            assertEquals(ReportStatus.RECORDED, outcomes.get(2).status(), outcomes.get(2).detail());
        }
    }
}
