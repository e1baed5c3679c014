package dev.muster.core.internal;

import dev.muster.core.policy.AllowlistPolicy;
import dev.muster.spi.ConfigurationException;
import dev.muster.spi.InvalidRequestException;
import dev.muster.spi.Keys;
import dev.muster.spi.SettingsReader;
import dev.muster.spi.policy.TrustPolicy;
import dev.muster.spi.policy.TrustPolicyProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Creates an {@link AllowlistPolicy} by the name {@code allowlist}. Settings:
 * <ul>
 *   <li>{@code keys}: comma-separated public keys, each the base64 of its X.509 encoding;</li>
 *   <li>{@code keysFile}: a file of PEM {@code PUBLIC KEY} blocks.</li>
 * </ul>
 * Both may be given; an empty list is allowed (keys can be added while the pool runs).
 */
public final class AllowlistPolicyProvider implements TrustPolicyProvider {
    @Override
    public String name() {
        return "allowlist";
    }

    @Override
    public TrustPolicy create(Map<String, String> settings) {
        SettingsReader s = SettingsReader.of("trust.", "allowlist policy", settings, Set.of("keys", "keysFile"));
        List<PublicKey> keys = new ArrayList<>();
        String inline = s.string("keys", "");
        if (!inline.isEmpty()) {
            for (String k : inline.split(",")) {
                try {
                    keys.add(Keys.publicKey(Base64.getDecoder().decode(k.trim())));
                } catch (IllegalArgumentException | InvalidRequestException e) {
                    throw new ConfigurationException("trust.keys holds an entry that is not a base64 X.509 Ed25519 "
                            + "public key: '" + abbreviate(k.trim()) + "' (" + e.getMessage() + ")");
                }
            }
        }
        String file = s.string("keysFile", null);
        if (file != null) {
            keys.addAll(readPemFile(Path.of(file)));
        }
        return new AllowlistPolicy(keys);
    }

    private static List<PublicKey> readPemFile(Path path) {
        String text;
        try {
            text = Files.readString(path);
        } catch (IOException e) {
            throw new ConfigurationException("trust.keysFile cannot be read: " + path + " (" + e + ")");
        }
        // A private key in the coordinator's files is a key that left its worker: refuse the file.
        if (text.contains("PRIVATE KEY-----")) {
            throw new ConfigurationException("trust.keysFile " + path + " holds a private key; it takes the workers'"
                    + " PUBLIC KEY blocks only; keep private keys on their workers");
        }
        List<PublicKey> keys = new ArrayList<>();
        String end = "-----END PUBLIC KEY-----";
        int from = 0;
        while (true) {
            int begin = text.indexOf("-----BEGIN PUBLIC KEY-----", from);
            if (begin < 0) {
                break;
            }
            int stop = text.indexOf(end, begin);
            if (stop < 0) {
                throw new ConfigurationException("trust.keysFile " + path + " has an unterminated PUBLIC KEY block");
            }
            try {
                keys.add(Keys.publicKeyFromPem(text.substring(begin, stop + end.length())));
            } catch (InvalidRequestException e) {
                throw new ConfigurationException("trust.keysFile " + path + ": " + e.getMessage());
            }
            from = stop + end.length();
        }
        return keys;
    }

    private static String abbreviate(String s) {
        return s.length() > 24 ? s.substring(0, 24) + "..." : s;
    }
}
