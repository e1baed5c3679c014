package dev.muster.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * What a command that calls the coordinator's API needs: where it is and the API key, read from a
 * file. A refused call throws {@link Refused} with the problem's detail, shown as one line.
 */
final class Api {
    static final ObjectMapper JSON = new ObjectMapper();

    @picocli.CommandLine.Mixin
    ConfigOption config;

    @Option(names = "--url", paramLabel = "<url>", required = true,
            description = "The coordinator's API root, e.g. http://127.0.0.1:8080/v1/ (or MUSTER_URL).")
    URI url;

    @Option(names = "--api-key-file", paramLabel = "<file>",
            description = "A file holding the API key (or MUSTER_API_KEY_FILE); never given on the command line.")
    Path apiKeyFile;

    /** A call the coordinator refused, or that could not be made. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private String key() {
        if (apiKeyFile == null) {
            return null;
        }
        try {
            return Files.readString(apiKeyFile, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the API key in " + apiKeyFile + ": " + e.getMessage());
        }
    }

    /** @return the answer's body, as bytes */
    byte[] raw(String method, String path, Object body) {
        URI base = url.toString().endsWith("/") ? url : URI.create(url + "/");
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json").method(method, body == null
                            ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            String key = key();
            if (key != null) {
                b.header("Authorization", "Bearer " + key);
            }
            HttpResponse<byte[]> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() / 100 != 2) {
                String detail;
                try {
                    detail = JSON.readTree(r.body()).path("detail").asText("");
                } catch (IOException e) {
                    detail = "";
                }
                throw new Refused("the coordinator answered " + r.statusCode() + (detail.isEmpty() ? "" : ": " + detail));
            }
            return r.body();
        } catch (IOException e) {
            throw new Refused("cannot reach the coordinator at " + base + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused("interrupted");
        }
    }

    /** @return the answer's JSON body, or an empty object for none */
    JsonNode call(String method, String path, Object body) {
        byte[] raw = raw(method, path, body);
        try {
            return raw.length == 0 ? JSON.createObjectNode() : JSON.readTree(raw);
        } catch (IOException e) {
            throw new Refused("the coordinator's answer is not JSON");
        }
    }
}
