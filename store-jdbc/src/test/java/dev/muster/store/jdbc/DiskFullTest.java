package dev.muster.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The embedded stores, SQLite and H2, on a real, small file system that fills up under a running coordinator:
 * while it is full readiness is 503 and writes answer 503 at once with a plain problem; when
 * space is freed the store opens its database again by itself, and every call it acknowledged,
 * before or during the trouble, is still there.
 *
 * <p>The file system is a 16 MiB tmpfs mounted for the test, which takes root (CAP_SYS_ADMIN):
 * where that is not possible, the test is skipped with a message saying so. It is mounted in
 * this machine's mount namespace, not a private one: H2 resolves its file's real path, and a path
 * into another namespace ({@code /proc/PID/root/...}) resolves to this one's directory.
 */
class DiskFullTest {
    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(2);

    @TempDir
    Path dir;
    private Path disk;
    private Thread unmountAtExit;

    @BeforeEach
    void mountASmallDisk() throws IOException, InterruptedException {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"),
                "the disk-full test mounts a tmpfs, which needs Linux; skipped");
        disk = Files.createDirectories(dir.resolve("disk"));
        String why = run("mount", "-t", "tmpfs", "-o", "size=16m", "muster-disk-full-test", disk.toString());
        assumeTrue(why == null, "cannot mount a small tmpfs here (it needs root with CAP_SYS_ADMIN), so the "
                + "disk-full test is skipped: " + why);
        unmountAtExit = new Thread(() -> unmount());
        Runtime.getRuntime().addShutdownHook(unmountAtExit);
    }

    @AfterEach
    void unmountTheDisk() {
        if (unmountAtExit != null) {
            unmount();
            Runtime.getRuntime().removeShutdownHook(unmountAtExit);
        }
    }

    private void unmount() {
        try {
            String why = run("umount", "-l", disk.toString());
            if (why != null) {
                System.err.println("could not unmount the test's tmpfs at " + disk + ": " + why);
            }
        } catch (IOException | InterruptedException e) {
            System.err.println("could not unmount the test's tmpfs at " + disk + ": " + e);
        }
    }

    /** @return null if the command succeeded, else what it said */
    private static String run(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return e.getMessage();
        }
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return String.join(" ", command) + " did not finish within 20 s";
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out;
    }

    /** Writes a file until the disk is full. @return bytes written */
    private static long fill(Path file) throws IOException {
        byte[] block = new byte[64 * 1024];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
                written += block.length;
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) {
                throw e;
            }
        }
        return written;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "h2"})
    void aFullDisk_answers503Quickly_andTheStoreRecoversWhenSpaceIsFreed(String database) throws IOException {
        // H2 with WRITE_DELAY=0: a commit is written before it is acknowledged, the durable setting.
        String url = database.equals("sqlite") ? "jdbc:sqlite:" + disk.resolve("muster.db")
                : "jdbc:h2:file:" + disk.resolve("muster") + ";WRITE_DELAY=0";
        try (OutageFixture f = new OutageFixture(url, CONNECTION_TIMEOUT)) {
            assertEquals(201, f.submit(50).status());
            f.work(20);
            assertEquals(200, f.get("health/ready").status());

            Path filler = disk.resolve("filler");
            long filled = fill(filler);
            // Writes may still fit in space the database file already holds; go on until one fails.
            int acknowledgedWhileFull = f.submitted.size();
            long toFirst503 = OutageFixture.await("a write refused on the full disk", Duration.ofSeconds(30),
                    () -> f.submit(5).status() == 503);
            acknowledgedWhileFull = f.submitted.size() - acknowledgedWhileFull;
            long toNotReady = OutageFixture.await("readiness 503", Duration.ofSeconds(10),
                    () -> f.get("health/ready").status() == 503);
            assertEquals("/problems/not-ready", f.get("health/ready").type());
            assertEquals(200, f.get("health").status(), "liveness stays UP");

            OutageFixture.Reply submit = f.submit(5);
            f.assertQuick503(submit, "a submission on the full disk");
            OutageFixture.Reply lease = f.workerCall(() -> f.worker.lease(10));
            f.assertQuick503(lease, "a lease on the full disk");
            System.out.printf(database + ": disk full (%d bytes of filler): %d jobs acknowledged after the filler, first 503 after "
                    + "%d ms, readiness 503 %d ms later; then a submission answered 503 in %d ms, a lease in %d ms%n",
                    filled, acknowledgedWhileFull, toFirst503, toNotReady, submit.millis(), lease.millis());

            Files.delete(filler);
            long toReady = OutageFixture.await("readiness 200 after space was freed", Duration.ofSeconds(20),
                    () -> f.get("health/ready").status() == 200);
            System.out.printf(database + ": space freed: readiness 200 after %d ms, without restarting the coordinator%n", toReady);
            assertEquals(201, f.submit(50).status(), "work continues");
            f.drain();
            assertTrue(f.submitted.size() >= 100, "acknowledged: " + f.submitted.size());
            assertEquals(f.submitted, f.accepted, "every acknowledged job ends accepted");
            f.assertNothingAcknowledgedLost();
        }
    }
}
