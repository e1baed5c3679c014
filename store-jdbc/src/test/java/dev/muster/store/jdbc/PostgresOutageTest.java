package dev.muster.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.spi.JobId;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stops and starts again under a running coordinator serving HTTP: meanwhile readiness
 * is 503 and calls answer 503 within the connection timeout, with a problem that names no SQL or
 * class; afterwards the coordinator serves again without a restart, and nothing it acknowledged
 * is lost. The test runs its own embedded server, with a data directory and port that survive
 * the stop, since it must stop it.
 */
class PostgresOutageTest {
    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(2);
    private static final int BURST = 16;

    @TempDir
    Path dir;

    private EmbeddedPostgres start(int port) throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pgdata")).setCleanDataDirectory(false)
                .setPort(port).setServerConfig("fsync", "off").setServerConfig("full_page_writes", "off")
                .start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void aDatabaseOutage_answers503Quickly_andTheCoordinatorRecoversWithoutARestart()
            throws IOException, InterruptedException, ExecutionException, TimeoutException {
        int port = freePort();
        EmbeddedPostgres pg = start(port);
        try (OutageFixture f = new OutageFixture(pg.getJdbcUrl("postgres", "postgres"), CONNECTION_TIMEOUT)) {
            assertEquals(201, f.submit(50).status());
            f.work(20);
            assertEquals(200, f.get("health/ready").status());

            pg.close();
            long toNotReady = OutageFixture.await("readiness 503", Duration.ofSeconds(15),
                    () -> f.get("health/ready").status() == 503);
            OutageFixture.Reply ready = f.get("health/ready");
            assertEquals("/problems/not-ready", ready.type());
            assertTrue(!OutageFixture.INTERNALS.matcher(ready.body().path("detail").asText()).find(), ready.body()
                    .toString());
            assertEquals(200, f.get("health").status(), "liveness stays UP");

            OutageFixture.Reply submit = f.submit(5);
            f.assertQuick503(submit, "a submission during the outage");
            OutageFixture.Reply lease = f.workerCall(() -> f.worker.lease(10));
            f.assertQuick503(lease, "a lease during the outage");
            OutageFixture.Reply report = f.workerCall(() -> f.worker.heartbeat());
            f.assertQuick503(report, "a heartbeat during the outage");
            System.out.printf("PostgreSQL outage: readiness 503 after %d ms; during it a submission answered 503 in %d"
                    + " ms, a lease in %d ms, a heartbeat in %d ms%n", toNotReady, submit.millis(), lease.millis(),
                    report.millis());

            // Many callers at once: one waits for the pool to try the database, the others are
            // answered at once instead of each holding a server thread for the connection timeout.
            ExecutorService callers = Executors.newFixedThreadPool(BURST);
            List<Future<OutageFixture.Reply>> burst = new ArrayList<>();
            try {
                for (int i = 0; i < BURST; i++) {
                    burst.add(callers.submit(() -> f.get("jobs/" + JobId.of(1))));
                }
                int fast = 0;
                long slowest = 0;
                for (Future<OutageFixture.Reply> r : burst) {
                    OutageFixture.Reply reply = r.get(30, TimeUnit.SECONDS);
                    f.assertQuick503(reply, "a read in a burst during the outage");
                    fast += reply.millis() < 500 ? 1 : 0;
                    slowest = Math.max(slowest, reply.millis());
                }
                System.out.printf("PostgreSQL outage: %d of %d concurrent calls answered 503 in under 500 ms, the "
                        + "slowest in %d ms%n", fast, BURST, slowest);
                assertTrue(fast >= BURST / 2, fast + " of " + BURST + " calls were answered at once");
            } finally {
                callers.shutdownNow();
            }

            pg = start(port);
            long toReady = OutageFixture.await("readiness 200 again", Duration.ofSeconds(30),
                    () -> f.get("health/ready").status() == 200);
            System.out.printf("PostgreSQL back: readiness 200 after %d ms, without restarting the coordinator%n",
                    toReady);
            assertEquals(201, f.submit(50).status(), "work continues");
            f.drain();
            assertEquals(100, f.submitted.size());
            assertEquals(100, f.accepted.size(), "every acknowledged job ends accepted");
            f.assertNothingAcknowledgedLost();
        } finally {
            pg.close();
        }
    }
}
