package dev.muster.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.muster.core.Coordinator;
import dev.muster.spi.Job;
import dev.muster.spi.JobSpec;
import dev.muster.spi.JobState;
import dev.muster.spi.LeaderboardScope;
import dev.muster.spi.ResultReport;
import dev.muster.spi.Validator;
import dev.muster.spi.Verdict;
import dev.muster.store.memory.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The wire needs no Java: {@code examples/python/muster_worker.py}, about a hundred lines of Python
 * with the standard library and {@code cryptography}, registers with its own Ed25519 key, checks
 * the coordinator's signature on its tickets, runs jobs and reports signed results, which a Java
 * validator accepts. Without Python 3 and {@code cryptography} the test is skipped, unless
 * {@code -Dmuster.python.required=true} (as {@code .ci/run} sets) makes that a failure.
 */
class PythonWorkerTest {
    private static final Path SCRIPT = Path.of("python", "muster_worker.py");
    private static final int JOBS = 20;

    /** Job type {@code reverse}: the result is the payload's bytes in reverse order. */
    private static final class Reverse implements Validator {
        @Override
        public String jobType() {
            return "reverse";
        }

        @Override
        public Verdict validate(Job job, ResultReport result) {
            byte[] expected = job.spec().payload();
            for (int i = 0, j = expected.length - 1; i < j; i++, j--) {
                byte b = expected[i];
                expected[i] = expected[j];
                expected[j] = b;
            }
            return Arrays.equals(expected, result.result()) ? Verdict.ok() : Verdict.invalid("not the payload reversed");
        }
    }

    private static boolean pythonReady() throws Exception {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import cryptography").redirectErrorStream(true).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void aPythonWorker_joinsRunsAndReports_andItsResultsAreAccepted() throws Exception {
        if (!pythonReady()) {
            String missing = "python3 with the cryptography package is needed (Debian: python3-cryptography)";
            if (Boolean.getBoolean("muster.python.required")) {
                fail(missing);
            }
            Assumptions.abort(missing);
        }
        Coordinator c = Coordinator.builder().store(new MemoryStore()).trustPolicy("quorum", Map.of("replicas", "1"))
                .validator(new Reverse()).housekeepingInterval(Duration.ZERO).transport("http", Map.of("port", "0"))
                .build();
        c.start();
        try (c) {
            List<JobSpec> specs = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                specs.add(JobSpec.builder("reverse", ("job number " + i).getBytes(StandardCharsets.UTF_8)).seed(i)
                        .build());
            }
            c.submit(specs);
            Path log = Files.createTempFile("python-worker", ".log");
            Process worker = new ProcessBuilder("python3", SCRIPT.toString(), "--url",
                    c.transports().get(0).address().toString(), "--owner", "pythonista", "--until-idle")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!worker.waitFor(120, TimeUnit.SECONDS)) {
                worker.destroyForcibly();
                throw new AssertionError("the Python worker did not finish within 120 s:\n" + Files.readString(log));
            }
            String output = Files.readString(log);
            Files.delete(log);
            assertTrue(output.contains("pinned the coordinator's key"), "it checked the tickets' signatures: " + output);
            System.out.println("PythonWorkerTest: " + output.strip().replace("\n", " | "));
            assertEquals(0, worker.exitValue(), output);
            assertEquals((long) JOBS, c.summary().jobs().get(JobState.ACCEPTED), output);
            assertEquals(JOBS, c.leaderboard(LeaderboardScope.OWNER, null, 10).get(0).results());
            assertEquals("pythonista", c.leaderboard(LeaderboardScope.OWNER, null, 10).get(0).name());
            assertEquals(0, c.rejections(10).size(), "no signature, digest or verdict was refused: " + c.rejections(10));
        }
    }
}
