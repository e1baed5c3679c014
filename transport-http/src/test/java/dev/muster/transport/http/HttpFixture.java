package dev.muster.transport.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.muster.core.Coordinator;
import dev.muster.store.memory.MemoryStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** A coordinator with the HTTP transport on a free loopback port, and a raw HTTP client for tests. */
final class HttpFixture implements AutoCloseable {
    static final String SUBMITTER_KEY = "key-of-the-deck-lab";
    static final String READER_KEY = "key-of-a-reader";
    static final String ADMIN_KEY = "key-of-the-operator";

    final Coordinator coordinator;
    final URI base;
    final HttpClient http = HttpClient.newHttpClient();

    /** Wraps a started coordinator whose first transport is HTTP. */
    HttpFixture(Coordinator started) {
        coordinator = started;
        base = started.transports().get(0).address();
    }

    HttpFixture(Map<String, String> extraSettings) {
        this(extraSettings, Duration.ofSeconds(30));
    }

    /** @param maxLongPoll the coordinator's longest long poll ({@code lease.maxWait}) */
    HttpFixture(Map<String, String> extraSettings, Duration maxLongPoll) {
        Map<String, String> settings = new HashMap<>(Map.of("port", "0", "maxBodyBytes", "65536",
                "apiKeys", "deck-lab:submit+read:" + ApiKeys.hash(SUBMITTER_KEY) + ",reader:read:"
                        + ApiKeys.hash(READER_KEY) + ",ops:admin:" + ApiKeys.hash(ADMIN_KEY)));
        settings.putAll(extraSettings);
        coordinator = Coordinator.builder().store(new MemoryStore()).trustPolicy("quorum", Map.of("replicas", "2"))
                .validator(new TestValidator()).housekeepingInterval(Duration.ZERO).maxLeaseBatch(50).maxSubmitBatch(50)
                .maxReportBatch(50).maxLongPoll(maxLongPoll).transport("http", settings).build();
        coordinator.start();
        base = coordinator.transports().get(0).address();
    }

    record Reply(int status, String contentType, JsonNode body, HttpResponse<byte[]> raw) {}

    Reply call(String method, String path, String body, String... headers) {
        return callAt(base, method, path, body, headers);
    }

    Reply callAt(URI root, String method, String path) {
        return callAt(root, method, path, null);
    }

    Reply callAt(URI root, String method, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(root.resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            boolean json = r.headers().firstValue("Content-Type").orElse("").contains("json");
            JsonNode node = r.body().length == 0 || !json ? null : Json.MAPPER.readTree(r.body());
            return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), node, r);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Reply submit(String key, String body) {
        return call("POST", "jobs", body, "Authorization", "Bearer " + key, "Content-Type", "application/json");
    }

    static String echoJobs(int n, int firstSeed) {
        StringBuilder sb = new StringBuilder("{\"jobs\":[");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"type\":\"echo\",\"payload\":\"")
                    .append(java.util.Base64.getEncoder().encodeToString(("game " + (firstSeed + i)).getBytes()))
                    .append("\",\"seed\":").append(firstSeed + i).append("}");
        }
        return sb.append("]}").toString();
    }

    @Override
    public void close() {
        coordinator.stop();
    }
}
