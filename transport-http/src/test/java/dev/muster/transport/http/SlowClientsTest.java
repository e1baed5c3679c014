package dev.muster.transport.http;

import dev.muster.worker.WorkerClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.muster.spi.Capabilities;
import dev.muster.spi.Keys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Slow clients cannot starve the pool: bodies and headers that trickle in hold no server thread,
 * are capped per address, and time out. Before bodies were read this way, about 61 connections
 * sending a byte a second stopped the coordinator (benchmarks/README.md, SlowClientProbe).
 */
class SlowClientsTest {
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(1);
    private final List<Socket> sockets = new ArrayList<>();
    private HttpFixture f;

    private void start(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of("ratePerWorker", "0", "ratePerAddress", "0"));
        all.putAll(settings);
        f = new HttpFixture(all);
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (f != null) {
            f.close();
        }
    }

    private HttpTransport transport() {
        return (HttpTransport) f.coordinator.transports().get(0);
    }

    /** Opens a connection and sends {@code head} (request line, headers, maybe some body) at once. */
    private Socket open(String head) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(f.base.getHost(), f.base.getPort()), 5_000);
        s.setSoTimeout(15_000);
        sockets.add(s);
        s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    private static String slowBodyHead(String path, int length) {
        return "POST /v1/" + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + length + "\r\n\r\n{";
    }

    /** Reads one whole response (the server closes the connection after these answers). */
    private static String readAnswer(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Reads the status line of an answer after which the connection may stay open. */
    private static String readStatusLine(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            line.append((char) c);
        }
        return line.toString();
    }

    private static void await(BooleanSupplier condition, Duration deadline, String what) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Health and a signed worker call each answer within a second, several times over. */
    private void assertServing(WorkerClient worker) {
        for (int i = 0; i < 5; i++) {
            assertTimeoutPreemptively(ANSWER_WITHIN, () -> assertEquals(200, f.call("GET", "health", null).status()));
            assertTimeoutPreemptively(ANSWER_WITHIN, worker::heartbeat);
        }
    }

    private WorkerClient worker() {
        WorkerClient w = new WorkerClient(f.base, Keys.generate());
        w.register("alice", Capabilities.of(2, 1024), "b", 4);
        return w;
    }

    @Test
    void slowBodies_200Connections_holdNoThread_healthAndWorkerCallsAnswerWithinASecond() throws Exception {
        // Caps raised so that all 200 bodies stay pending: what is tested is that they hold no thread.
        start(Map.of("maxPendingBodies", "1000", "maxPendingBodiesPerAddress", "1000"));
        WorkerClient worker = worker();
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            slow.add(open(slowBodyHead("workers/register", 100_000)));
        }
        await(() -> transport().pendingBodies() == 200, Duration.ofSeconds(20), "200 pending bodies");
        for (Socket s : slow) {
            s.getOutputStream().write(' ');
            s.getOutputStream().flush();
        }
        long start = System.nanoTime();
        assertServing(worker);
        System.out.printf("200 slow bodies pending: 5 health and 5 signed heartbeats answered in %d ms%n",
                (System.nanoTime() - start) / 1_000_000);
        assertEquals(200, transport().pendingBodies(), "the slow bodies are still arriving, not refused");
    }

    @Test
    void slowBodies_pastTheCapPerAddress_are429AndClosed_andTheRestStillAnswer() throws Exception {
        start(Map.of("maxPendingBodiesPerAddress", "20"));
        WorkerClient worker = worker();
        for (int i = 0; i < 20; i++) {
            open(slowBodyHead("workers/register", 100_000));
        }
        await(() -> transport().pendingBodies() == 20, Duration.ofSeconds(10), "20 pending bodies");
        String answer = readAnswer(open(slowBodyHead("workers/register", 100_000)));
        assertTrue(answer.startsWith("HTTP/1.1 429 "), answer);
        assertTrue(answer.contains("application/problem+json"), answer);
        assertTrue(answer.contains("/problems/too-many-pending-bodies"), answer);
        assertTrue(answer.contains("Retry-After: 1"), answer);
        assertServing(worker);
        // A caller with an API key is not counted against the cap.
        HttpFixture.Reply r = f.submit(HttpFixture.SUBMITTER_KEY, HttpFixture.echoJobs(1, 1));
        assertEquals(201, r.status(), String.valueOf(r.body()));
    }

    @Test
    void nearlyCompleteBodies_pastTheByteBudget_are503AndClosed_andTheBudgetReturnsToZero() throws Exception {
        // Four bodies sent but for their last byte fill the 1 MiB budget (each buffer grows to the
        // 256 KiB limit); the count caps are far away, so only the byte budget can refuse the fifth.
        int max = 256 << 10;
        start(Map.of("maxBodyBytes", Integer.toString(max), "maxPendingBodyBytes", Integer.toString(4 * max),
                "bodyTimeout", "PT5S"));
        WorkerClient worker = worker();
        String allButLast = " ".repeat(max - 2);
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            held.add(open(slowBodyHead("workers/register", max) + allButLast));
        }
        await(() -> transport().pendingBodies() == 4 && transport().pendingBodyBytes() == 4L * max,
                Duration.ofSeconds(10), "4 pending bodies holding " + 4 * max + " bytes, at "
                        + transport().pendingBodyBytes());
        // The fifth sends one byte of its body: any buffer it reserves is over the budget. (Sending
        // more would race the server's refusal and close, and the client would see a broken pipe.)
        String answer = readAnswer(open(slowBodyHead("workers/register", max)));
        assertTrue(answer.startsWith("HTTP/1.1 503 "), answer);
        assertTrue(answer.contains("application/problem+json"), answer);
        assertTrue(answer.contains("/problems/too-many-pending-bodies"), answer);
        assertTrue(answer.contains("Retry-After: 1"), answer);
        assertEquals(4L * max, transport().pendingBodyBytes(), "the refused body holds nothing");
        long start = System.nanoTime();
        assertServing(worker);
        System.out.printf("4 bodies holding %d bytes pending, a fifth refused: 5 health and 5 heartbeats in %d ms%n",
                transport().pendingBodyBytes(), (System.nanoTime() - start) / 1_000_000);
        // Two bodies complete (a 400: it is not JSON), two are left to time out: all their bytes come back.
        for (Socket s : held.subList(0, 2)) {
            s.getOutputStream().write(' ');
            s.getOutputStream().flush();
            String done = readStatusLine(s);
            assertTrue(done.startsWith("HTTP/1.1 400 "), done);
        }
        assertEquals(2L * max, transport().pendingBodyBytes(), "two completed bodies gave their bytes back");
        for (Socket s : held.subList(2, 4)) {
            String late = readAnswer(s);
            assertTrue(late.startsWith("HTTP/1.1 408 "), late);
        }
        await(() -> transport().pendingBodyBytes() == 0 && transport().pendingBodies() == 0, Duration.ofSeconds(5),
                "no pending bytes, at " + transport().pendingBodyBytes());
    }

    @Test
    void byteBudgetBelowTheLargestBody_isRefusedAtStart() {
        org.junit.jupiter.api.Assertions.assertThrows(dev.muster.spi.ConfigurationException.class,
                () -> HttpSettings.from(Map.of("maxBodyBytes", "2097152", "maxPendingBodyBytes", "1048576")));
        assertEquals(64L << 20, HttpSettings.from(Map.of()).maxPendingBodyBytes());
        assertEquals(128L << 20, HttpSettings.from(Map.of("maxBodyBytes", "134217728")).maxPendingBodyBytes());
    }

    @Test
    void bodyThatNeverEnds_is408AndClosed_withinTheBodyTimeout() throws Exception {
        start(Map.of("bodyTimeout", "PT1S"));
        JsonNode before = f.call("GET", "pool", null).body();
        long start = System.nanoTime();
        Socket chunked = open("POST /v1/jobs HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer nobody\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n");
        Socket shortBody = open(slowBodyHead("workers/register", 1_000));
        for (Socket s : List.of(chunked, shortBody)) {
            String answer = readAnswer(s);
            assertTrue(answer.startsWith("HTTP/1.1 408 "), answer);
            assertTrue(answer.contains("application/problem+json"), answer);
            assertTrue(answer.contains("/problems/body-timeout"), answer);
            assertTrue(!answer.contains("Exception"), answer);
        }
        long took = (System.nanoTime() - start) / 1_000_000;
        assertTrue(took < 5_000, "answered after " + took + " ms");
        await(() -> transport().pendingBodies() == 0, Duration.ofSeconds(5), "no pending bodies");
        assertEquals(before, f.call("GET", "pool", null).body());
    }

    @Test
    void slowHeaders_200Connections_healthAndWorkerCallsAnswerWithinASecond() throws Exception {
        start(Map.of());
        WorkerClient worker = worker();
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            slow.add(open("GET /v1/health HTTP/1.1\r\nHost: localhost\r\nX-Slow: "));
        }
        for (Socket s : slow) {
            s.getOutputStream().write('a');
            s.getOutputStream().flush();
        }
        assertServing(worker);
    }
}
