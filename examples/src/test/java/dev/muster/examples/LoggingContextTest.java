package dev.muster.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.muster.core.Coordinator;
import dev.muster.spi.Capabilities;
import dev.muster.spi.Job;
import dev.muster.spi.JobSpec;
import dev.muster.spi.Keys;
import dev.muster.spi.ResultReport;
import dev.muster.spi.Ticket;
import dev.muster.spi.Validator;
import dev.muster.spi.Verdict;
import dev.muster.store.memory.MemoryStore;
import dev.muster.worker.WorkerClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * Whatever the coordinator logs while serving a worker's request over HTTP carries the worker and
 * the client address in the logging context (here, with Logback, whose context is real; the
 * library's own tests log through slf4j-simple, which keeps none).
 */
class LoggingContextTest {
    @Test
    void aWorkersRequest_isServedWithItsWorkerAndClientInTheLoggingContext() {
        AtomicReference<Map<String, String>> seen = new AtomicReference<>();
        Validator recording = new Validator() {
            @Override
            public String jobType() {
                return "echo";
            }

            @Override
            public Verdict validate(Job job, ResultReport result) {
                seen.set(MDC.getCopyOfContextMap());
                return Verdict.ok();
            }
        };
        Coordinator c = Coordinator.builder().store(new MemoryStore()).trustPolicy("quorum", Map.of("replicas", "1"))
                .validator(recording).housekeepingInterval(Duration.ZERO).transport("http", Map.of("port", "0"))
                .build();
        c.start();
        try (c) {
            c.submit(List.of(JobSpec.builder("echo", "a game".getBytes(StandardCharsets.UTF_8)).seed(3).build()));
            WorkerClient w = new WorkerClient(c.transports().get(0).address(), Keys.generate());
            w.register("alice", Capabilities.of(2, 1024), "mdc-test", 2);
            Ticket t = w.lease(1).get(0);
            w.report(List.of(ResultReport.of(t.jobId(), t.replica(), t.seed(),
                    "alice wins".getBytes(StandardCharsets.UTF_8), Map.of())));
            assertEquals(w.id().value(), seen.get().get("worker"));
            assertEquals("127.0.0.1", seen.get().get("client"));
            assertNull(seen.get().get("job"), "a worker route names no job");
        }
    }
}
