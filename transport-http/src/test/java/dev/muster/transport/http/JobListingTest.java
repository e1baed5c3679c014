package dev.muster.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.muster.spi.JobQuery;
import dev.muster.spi.JobSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/jobs} pages through every job of the caller, past any number of other
 * submitters' jobs, and a value over a limit in a submission is a 400 naming it.
 */
class JobListingTest {
    /** Longer than the 100,000 ids the stores once scanned per page. */
    private static final int OTHERS = 100_100;

    @Test
    void pagingThroughOwnJobs_pastALongRunOfOthers_returnsEachOnce_andOnlyTheLastPageLacksNext() {
        try (HttpFixture f = new HttpFixture(Map.of())) {
            List<String> mine = new ArrayList<>();
            f.submit(HttpFixture.SUBMITTER_KEY, HttpFixture.echoJobs(3, 0)).body().get("jobs")
                    .forEach(j -> mine.add(j.get("id").asText()));
            List<JobSpec> others = new ArrayList<>();
            for (int i = 0; i < OTHERS; i++) {
                others.add(JobSpec.builder("echo", ("other " + i).getBytes(StandardCharsets.UTF_8)).seed(i)
                        .submitter("someone-else").build());
                if (others.size() == 50 || i == OTHERS - 1) { // the fixture's submit.maxBatch
                    f.coordinator.submit(others);
                    others.clear();
                }
            }
            f.submit(HttpFixture.SUBMITTER_KEY, HttpFixture.echoJobs(4, 100)).body().get("jobs")
                    .forEach(j -> mine.add(j.get("id").asText()));
            assertEquals(OTHERS + 7, f.coordinator.summary().jobs().values().stream().mapToLong(Long::longValue).sum());

            List<String> listed = new ArrayList<>();
            String after = null;
            int pages = 0;
            while (true) {
                JsonNode page = f.call("GET", "jobs?limit=2" + (after == null ? "" : "&after=" + after), null,
                        "Authorization", "Bearer " + HttpFixture.SUBMITTER_KEY).body();
                pages++;
                page.get("jobs").forEach(j -> listed.add(j.get("id").asText()));
                if (page.get("next") == null) {
                    assertTrue(page.get("jobs").size() < 2, "only a short page lacks next: " + page);
                    break;
                }
                assertEquals(2, page.get("jobs").size(), "a page with next is full: " + page);
                after = page.get("next").asText();
            }
            assertEquals(mine, listed);
            assertEquals(4, pages, "7 jobs in pages of 2");
            // Admins see everything; a filter on the other submitter pages through its long run.
            JsonNode all = f.call("GET", "jobs?submitter=someone-else&limit=1000&after=" + mine.get(2), null,
                    "Authorization", "Bearer " + HttpFixture.ADMIN_KEY).body();
            assertEquals(1000, all.get("jobs").size());
            assertEquals(OTHERS, countAll(f, "someone-else"));
        }
    }

    private static int countAll(HttpFixture f, String submitter) {
        int n = 0;
        long after = 0;
        while (true) {
            var page = f.coordinator.jobs(new JobQuery(submitter, null, null, after, 1000));
            n += page.size();
            if (page.size() < 1000) {
                return n;
            }
            after = page.get(page.size() - 1).id().value();
        }
    }

    @Test
    void aSubmissionWithAValueOverItsLimit_isA400NamingTheField_andStoresNothing() {
        try (HttpFixture f = new HttpFixture(Map.of())) {
            String payload = java.util.Base64.getEncoder().encodeToString("x".getBytes(StandardCharsets.UTF_8));
            String tooLong = "{\"jobs\":[{\"type\":\"echo\",\"payload\":\"" + payload + "\",\"seed\":1},"
                    + "{\"type\":\"echo\",\"payload\":\"" + payload + "\",\"seed\":2,\"mediaType\":\"text/"
                    + "x".repeat(196) + "\"}]}";
            HttpFixture.Reply r = f.submit(HttpFixture.SUBMITTER_KEY, tooLong);
            assertEquals(400, r.status(), String.valueOf(r.body()));
            assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
            String detail = r.body().get("detail").asText();
            assertTrue(detail.contains("mediaType is 201 characters long; the limit is 200"), detail);
            assertNull(f.coordinator.summary().jobs().entrySet().stream().filter(e -> e.getValue() > 0)
                    .findFirst().orElse(null), "nothing stored");
            String atLimit = tooLong.replace("x".repeat(196), "x".repeat(195));
            assertEquals(201, f.submit(HttpFixture.SUBMITTER_KEY, atLimit).status());
        }
    }
}
