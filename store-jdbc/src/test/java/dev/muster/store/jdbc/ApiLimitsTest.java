package dev.muster.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.core.Coordinator;
import dev.muster.spi.Capabilities;
import dev.muster.spi.InvalidRequestException;
import dev.muster.spi.Job;
import dev.muster.spi.JobQuery;
import dev.muster.spi.JobSpec;
import dev.muster.spi.JobState;
import dev.muster.spi.Limits;
import dev.muster.spi.RejectionReason;
import dev.muster.spi.ReportOutcome;
import dev.muster.spi.ReportStatus;
import dev.muster.spi.ResultReport;
import dev.muster.spi.Ticket;
import dev.muster.spi.Validator;
import dev.muster.spi.Verdict;
import dev.muster.spi.WorkerId;
import dev.muster.spi.testkit.SigningWorker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The values from the issue that overflowed columns, through a coordinator on each database: a
 * client value over its limit is an {@link InvalidRequestException} naming the field and the limit
 * and stores nothing; one at its limit is stored; a validator's overlong reason is truncated; and
 * within a report, a result over a limit is rejected alone while the others are recorded.
 */
class ApiLimitsTest {
    private static final String TYPE = "limits-test";

    /** Valid unless the result says otherwise; explains an invalid result at great length. */
    static final class Verbose implements Validator {
        @Override
        public String jobType() {
            return TYPE;
        }

        @Override
        public Verdict validate(Job job, ResultReport result) {
            String text = new String(result.result(), StandardCharsets.UTF_8);
            return text.startsWith("bad") ? Verdict.invalid("bad result: " + "why ".repeat(2_000)) : Verdict.ok();
        }
    }

    private static String chars(int n) {
        return "x".repeat(n);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void valuesOverALimit_areRefusedByName_andAReportKeepsItsGoodResults(String database) {
        String url = database.equals("h2") ? TestDatabases.newH2() : TestDatabases.newPostgres();
        try (Coordinator c = Coordinator.builder().store("jdbc", Map.of("url", url, "poolSize", "4"))
                .housekeepingInterval(Duration.ZERO).validator(new Verbose())
                .trustPolicy("quorum", Map.of("replicas", "1", "agree", "1")).build()) {
            c.start();
            SigningWorker worker = new SigningWorker(c, "o".repeat(Limits.OWNER.max()));
            WorkerId id = worker.id();

            InvalidRequestException tooLong = assertThrows(InvalidRequestException.class,
                    () -> register(worker, chars(Limits.CLIENT_BUILD.max() + 1)));
            assertTrue(tooLong.getMessage().contains("clientBuild") && tooLong.getMessage().contains("limit is 200"),
                    tooLong.getMessage());
            assertTrue(c.worker(id).isEmpty(), "a refused registration stores nothing");
            // 150 characters failed in the store before: the column held 128.
            assertEquals(150, register(worker, chars(150)).clientBuild().length());

            JobSpec.Builder spec = JobSpec.builder(TYPE, new byte[] {1}).submitter("lab");
            InvalidRequestException badMedia = assertThrows(InvalidRequestException.class,
                    () -> c.submit(List.of(spec.seed(0).build(), spec.seed(1)
                            .mediaType("application/" + chars(Limits.MEDIA_TYPE.max())).build())));
            assertTrue(badMedia.getMessage().contains("mediaType") && badMedia.getMessage().contains("limit is 200"),
                    badMedia.getMessage());
            assertEquals(List.of(), c.jobs(new JobQuery(null, null, null, 0, 10)), "a refused submission stores nothing");
            List<Job> jobs = c.submit(List.of(spec.seed(2).mediaType("application/" + chars(150)).build(),
                    spec.seed(3).mediaType("text/plain").build(), spec.seed(4).build()));
            assertEquals("application/" + chars(150), c.job(jobs.get(0).id()).orElseThrow().spec().mediaType());

            List<Ticket> tickets = c.lease(id, 10).tickets();
            assertEquals(3, tickets.size());
            Map<String, String> hugeMetadata = new HashMap<>();
            hugeMetadata.put("log", chars(Limits.METADATA_VALUE.max() + 1));
            List<ResultReport> results = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Ticket t = tickets.get(i);
                results.add(ResultReport.of(t.jobId(), t.replica(), t.seed(),
                        (i == 0 ? "bad" : "good").getBytes(StandardCharsets.UTF_8), i == 1 ? hugeMetadata : Map.of()));
            }
            List<ReportOutcome> outcomes = worker.report(results);

            assertEquals(RejectionReason.INVALID, outcomes.get(0).reason());
            assertEquals(Limits.REJECTION_DETAIL.max(), outcomes.get(0).detail().length());
            assertTrue(outcomes.get(0).detail().endsWith(Limits.TRUNCATION_MARKER), outcomes.get(0).detail());
            String stored = c.results(tickets.get(0).jobId()).get(0).invalidReason();
            assertEquals(Limits.VERDICT_REASON.max(), stored.length());
            assertTrue(stored.startsWith("bad result: why"), stored);

            assertEquals(RejectionReason.TOO_LARGE, outcomes.get(1).reason());
            assertTrue(outcomes.get(1).detail().contains("metadata value of 'log'")
                    && outcomes.get(1).detail().contains("limit is 1024"), outcomes.get(1).detail());
            assertEquals(ReportStatus.ACCEPTED, outcomes.get(2).status(), outcomes.get(2).detail());
            assertEquals(JobState.ACCEPTED, c.job(tickets.get(2).jobId()).orElseThrow().state());
            // The oversized result left its lease alone: a corrected report is still taken.
            ResultReport fixed = ResultReport.of(tickets.get(1).jobId(), tickets.get(1).replica(),
                    tickets.get(1).seed(), "good".getBytes(StandardCharsets.UTF_8), Map.of("log", "short"));
            assertEquals(ReportStatus.ACCEPTED, worker.report(fixed).status());

            assertThrows(InvalidRequestException.class, () -> c.ban(id, chars(Limits.BAN_REASON.max() + 1)));
            assertEquals(Limits.REJECTION_DETAIL.max(), c.rejections(10).stream()
                    .filter(r -> r.reason() == RejectionReason.INVALID).findFirst().orElseThrow().detail().length());
        }
    }

    /** Registers with an owner name at its limit and the given client build. */
    private static dev.muster.spi.Worker register(SigningWorker worker, String build) {
        return worker.api().register(worker.registration(Capabilities.of(2, 1024), build, 10));
    }
}
