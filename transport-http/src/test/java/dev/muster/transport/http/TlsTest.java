package dev.muster.transport.http;

import dev.muster.worker.WorkerClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.spi.Capabilities;
import dev.muster.spi.Keys;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS is a configuration switch: with a key store the transport serves HTTPS, here with a certificate made by the test. */
class TlsTest {

    private static Path makeKeyStore(Path dir) throws Exception {
        Path store = dir.resolve("server.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "muster", "-keyalg", "EC", "-groupname",
                "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        return store;
    }

    private static SSLContext trusting(Path store) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    @Test
    void withAKeyStore_theApiIsServedOverHttps(@TempDir Path dir) throws Exception {
        Path store = makeKeyStore(dir);
        try (HttpFixture f = new HttpFixture(Map.of("keyStore", store.toString(), "keyStorePassword", "changeit"))) {
            assertEquals("https", f.base.getScheme());
            HttpClient client = HttpClient.newBuilder().sslContext(trusting(store)).build();
            HttpResponse<String> health = client.send(HttpRequest.newBuilder(f.base.resolve("health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());

            WorkerClient worker = new WorkerClient(f.base, Keys.generate(), client);
            worker.register("alice", Capabilities.of(2, 1024), "b", 4);
            HttpResponse<String> submitted = client.send(HttpRequest.newBuilder(f.base.resolve("jobs"))
                    .header("Authorization", "Bearer " + HttpFixture.SUBMITTER_KEY)
                    .POST(HttpRequest.BodyPublishers.ofString(HttpFixture.echoJobs(1, 7))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, submitted.statusCode(), submitted.body());
            assertEquals(1, worker.lease(5).size(), "a signed lease over TLS");

            HttpClient untrusting = HttpClient.newHttpClient();
            assertThrows(IOException.class, () -> untrusting.send(
                    HttpRequest.newBuilder(f.base.resolve("health")).build(), HttpResponse.BodyHandlers.ofString()),
                    "a client that does not trust the certificate is refused");
            HttpClient plain = HttpClient.newHttpClient();
            java.net.URI http = java.net.URI.create(f.base.toString().replace("https://", "http://"));
            assertThrows(IOException.class, () -> plain.send(HttpRequest.newBuilder(http.resolve("health")).build(),
                    HttpResponse.BodyHandlers.ofString()), "plain HTTP is not served next to HTTPS");
            assertTrue(List.of("UP").contains(Json.MAPPER.readTree(health.body()).get("status").asText()));
        }
    }
}
