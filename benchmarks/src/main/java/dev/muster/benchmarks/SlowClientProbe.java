package dev.muster.benchmarks;

import dev.muster.core.Coordinator;
import dev.muster.core.policy.AllowlistPolicy;
import dev.muster.spi.Capabilities;
import dev.muster.spi.Keys;
import dev.muster.store.memory.MemoryStore;
import dev.muster.worker.WorkerClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What it takes to stop the coordinator with slow clients: for each count N, a fresh coordinator
 * with the HTTP transport's default settings (64 server threads) on loopback, N connections that
 * send the headers of a {@code POST /v1/workers/register} announcing a 100,000-byte body and then
 * one byte of it per second, and meanwhile a well-behaved client timing {@code GET /v1/health}
 * and a signed {@code POST /v1/workers/heartbeat}, each with a deadline. Prints one row per N: how
 * many slow connections the server accepted, and the probes' latencies or "timeout".
 *
 * <pre>
 * mvn -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.muster.benchmarks.SlowClientProbe --counts 10,50,60,70,200,1000
 * </pre>
 *
 * Options: {@code --counts N,N,...} (default 10,50,60,70,100,200), {@code --settle S} (seconds the
 * slow connections trickle before the probes, default 3), {@code --probes P} (probes of each kind
 * per count, default 5), {@code --deadline S} (a probe slower than this is a timeout, default 5),
 * {@code --chunked} (the slow clients send a chunked body that never ends instead), {@code --set
 * key=value} (a {@code transport.*} setting, repeatable). The per-address rate limit is off, as if
 * the slow clients came from many addresses; so is, with {@code --set maxPendingBodiesPerAddress=N},
 * the cap on pending bodies per address.
 */
public final class SlowClientProbe {
    private SlowClientProbe() {}

    public static void main(String[] args) throws Exception {
        List<Integer> counts = List.of(10, 50, 60, 70, 100, 200);
        int settle = 3;
        int probes = 5;
        int deadline = 5;
        boolean chunked = false;
        Map<String, String> settings = new java.util.HashMap<>(Map.of("port", "0", "ratePerAddress", "0"));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--counts" -> counts = java.util.Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList();
                case "--settle" -> settle = Integer.parseInt(args[++i]);
                case "--probes" -> probes = Integer.parseInt(args[++i]);
                case "--deadline" -> deadline = Integer.parseInt(args[++i]);
                case "--chunked" -> chunked = true;
                case "--set" -> {
                    String[] kv = args[++i].split("=", 2);
                    settings.put(kv[0], kv[1]);
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.out.printf("%8s %10s %8s %12s %12s %12s %12s%n", "slow", "connected", "refused", "health p50",
                "health max", "signed p50", "signed max");
        for (int n : counts) {
            run(n, settle, probes, deadline, chunked, settings);
        }
    }

    private static void run(int n, int settle, int probes, int deadline, boolean chunked, Map<String, String> settings)
            throws Exception {
        AllowlistPolicy trust = new AllowlistPolicy(List.of());
        try (Coordinator coordinator = Coordinator.builder().store(new MemoryStore()).trustPolicy(trust)
                .validator(new AcceptAll()).housekeepingInterval(Duration.ZERO)
                .transport("http", settings).build()) {
            coordinator.start();
            URI base = coordinator.transports().get(0).address();
            KeyPair key = Keys.generate();
            trust.allow(key.getPublic());
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(deadline)).build();
            WorkerClient worker = new WorkerClient(base, key, http);
            worker.register("probe", Capabilities.of(1, 64), "probe", 1);

            List<Socket> slow = new ArrayList<>();
            String head = (chunked ? "POST /v1/workers/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n"
                    : "POST /v1/workers/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100000\r\n\r\n");
            int connected = 0;
            for (int i = 0; i < n; i++) {
                try {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 2_000);
                    s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    slow.add(s);
                    connected++;
                } catch (IOException e) {
                    break;
                }
            }
            Thread trickle = new Thread(() -> trickle(slow, chunked), "trickle");
            trickle.setDaemon(true);
            trickle.start();
            Thread.sleep(settle * 1000L);

            List<Long> health = new ArrayList<>();
            List<Long> signed = new ArrayList<>();
            for (int i = 0; i < probes; i++) {
                health.add(time(() -> {
                    HttpRequest r = HttpRequest.newBuilder(base.resolve("health")).timeout(Duration.ofSeconds(deadline))
                            .GET().build();
                    http.send(r, HttpResponse.BodyHandlers.discarding());
                    return null;
                }, deadline));
                signed.add(time(() -> {
                    worker.heartbeat();
                    return null;
                }, deadline));
            }
            trickle.interrupt();
            int refused = 0;
            for (Socket s : slow) {
                // a refused connection has an answer waiting (or is closed); a pending one has none
                if (s.getInputStream().available() > 0 || s.isInputShutdown()) {
                    refused++;
                }
            }
            for (Socket s : slow) {
                s.close();
            }
            System.out.printf("%8d %10d %8d %12s %12s %12s %12s%n", n, connected, refused, p50(health), max(health),
                    p50(signed), max(signed));
        }
    }

    private static void trickle(List<Socket> sockets, boolean chunked) {
        byte[] one = chunked ? "1\r\n{\r\n".getBytes(StandardCharsets.US_ASCII) : new byte[] {' '};
        while (!Thread.currentThread().isInterrupted()) {
            for (Socket s : sockets) {
                try {
                    OutputStream out = s.getOutputStream();
                    out.write(one);
                    out.flush();
                } catch (IOException e) {
                    // the server closed it; that is what a defence does
                }
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** @return milliseconds, or -1 for a timeout or a failure */
    private static long time(java.util.concurrent.Callable<Void> call, int deadline) {
        long start = System.nanoTime();
        CompletableFuture<Void> f = CompletableFuture.supplyAsync(() -> {
            try {
                return call.call();
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        try {
            f.get(deadline, TimeUnit.SECONDS);
            return (System.nanoTime() - start) / 1_000_000;
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            f.cancel(true);
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String p50(List<Long> ms) {
        List<Long> sorted = ms.stream().map(v -> v < 0 ? Long.MAX_VALUE : v).sorted().toList();
        return show(sorted.get(sorted.size() / 2));
    }

    private static String max(List<Long> ms) {
        return show(ms.stream().map(v -> v < 0 ? Long.MAX_VALUE : v).max(Long::compare).orElseThrow());
    }

    private static String show(long ms) {
        return ms == Long.MAX_VALUE ? "timeout" : ms + " ms";
    }
}
