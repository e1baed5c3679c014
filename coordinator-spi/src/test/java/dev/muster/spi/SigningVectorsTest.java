package dev.muster.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the test vectors in {@code docs/signing.md} true: every {@code name: value} line there is
 * what this code computes from the key of RFC 8032's first test vector, so that a worker written in
 * another language can check its signing byte for byte.
 */
class SigningVectorsTest {
    private static final HexFormat HEX = HexFormat.of();
    /** RFC 8032, section 7.1, test 1. */
    private static final String SECRET = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    private static final String PUBLIC = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

    static KeyPair rfc8032Key() {
        return new KeyPair(Keys.publicKey(HEX.parseHex("302a300506032b6570032100" + PUBLIC)),
                Keys.privateKey(HEX.parseHex("302e020100300506032b657004220420" + SECRET)));
    }

    /** @return the vectors, in the order the document lists them */
    static Map<String, String> vectors() {
        KeyPair key = rfc8032Key();
        Map<String, String> v = new LinkedHashMap<>();
        WorkerId id = WorkerId.of(key.getPublic());
        v.put("public key (X.509 DER)", HEX.formatHex(key.getPublic().getEncoded()));
        v.put("worker id", id.value());

        byte[] challenge = new byte[32];
        for (int i = 0; i < challenge.length; i++) {
            challenge[i] = (byte) i;
        }
        Capabilities caps = new Capabilities(4, 8192, false, Set.of("tier:gold", "os:linux"));
        byte[] registration = SignedBytes.registration(challenge, key.getPublic(), "alice", caps, "build-1", 8);
        v.put("registration bytes", HEX.formatHex(registration));
        v.put("registration signature", HEX.formatHex(Keys.sign(key.getPrivate(), registration)));

        byte[] body = "{\"max\":8}".getBytes(StandardCharsets.UTF_8);
        byte[] request = RequestSigning.signedBytes("POST", "/v1/workers/lease", id.value(), 1767225600000L,
                "bm9uY2Utb25l", body);
        v.put("request bytes", HEX.formatHex(request));
        v.put("request signature", HEX.formatHex(Keys.sign(key.getPrivate(), request)));

        ResultReport result = ResultReport.of(JobId.of(42), 0, 7, "A wins".getBytes(StandardCharsets.UTF_8),
                Map.of());
        v.put("result digest", result.resultDigest());
        byte[] results = SignedBytes.results(id, List.of(result));
        v.put("results bytes", HEX.formatHex(results));
        v.put("results signature", HEX.formatHex(Keys.sign(key.getPrivate(), results)));

        JobSpec spec = JobSpec.builder("card-game", "A Aggro: x\nB Control: y".getBytes(StandardCharsets.UTF_8))
                .mediaType("text/x-muster-matchup").seed(7).timeout(Duration.ofMinutes(10)).build();
        Instant issued = Instant.ofEpochMilli(1767225600000L);
        Ticket ticket = new Ticket(JobId.of(42), 0, "card-game", spec, spec.payloadDigest(),
                issued.plus(Duration.ofMinutes(10)));
        v.put("payload digest", spec.payloadDigest());
        v.put("tickets bytes", HEX.formatHex(SignedBytes.tickets(id, issued, List.of(ticket))));
        return v;
    }

    @Test
    void theDocumentsVectors_areWhatTheCodeComputes() throws Exception {
        Map<String, String> expected = vectors();
        Path doc = Path.of("..", "docs", "signing.md");
        String text = Files.exists(doc) ? Files.readString(doc) : "";
        Matcher m = Pattern.compile("(?m)^([a-z (X.509DER)]+): ([0-9a-f]+)$").matcher(text);
        Map<String, String> documented = new LinkedHashMap<>();
        while (m.find()) {
            documented.put(m.group(1), m.group(2));
        }
        StringBuilder wanted = new StringBuilder();
        expected.forEach((k, val) -> wanted.append(k).append(": ").append(val).append('\n'));
        assertEquals(expected, documented, "docs/signing.md should list, in its vector blocks:\n" + wanted);
        assertTrue(Keys.verify(rfc8032Key().getPublic(), HEX.parseHex(expected.get("registration bytes")),
                HEX.parseHex(expected.get("registration signature"))));
    }
}
