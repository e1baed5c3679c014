package dev.muster.transport.http;

import dev.muster.spi.ConfigurationException;
import dev.muster.spi.Durations;
import dev.muster.spi.SettingsReader;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Settings of the HTTP transport, read from {@code transport.*} properties:
 * {@code host} (default 127.0.0.1), {@code port} (default 8080; 0 picks a free one),
 * {@code maxBodyBytes} (default 4 MiB), {@code maxThreads} (default 64), {@code replayWindow} (default PT60S),
 * {@code apiKeys} ({@code name:scope+scope:sha256-hex-of-key,...}), {@code ratePerAddress} and
 * {@code ratePerWorker} (requests per second; default 200 and 50; 0 turns a limit off), and for
 * TLS {@code keyStore} (a PKCS#12 or JKS file), {@code keyStorePassword}, {@code keyStoreType}
 * (default PKCS12): with a key store the transport serves HTTPS only; {@code sessionTtl}, how long a worker session lasts
 * (default PT15M); {@code bodyTimeout}, how long a request body may take to arrive, from its
 * headers to its last byte (default PT30S; a slower body is answered 408); {@code maxPendingBodies}
 * and {@code maxPendingBodiesPerAddress}, how many request bodies of unauthenticated callers may be
 * still arriving at once, in all and from one client address (default 1000 and 50; see
 * {@link BodyReader}); {@code maxPendingBodyBytes}, how many bytes the buffers of those bodies may
 * hold in all (default 64 MiB, or {@code maxBodyBytes} if that is larger; at least
 * {@code maxBodyBytes}; past it a body is answered 503 and its connection closed); {@code idleTimeout}, how long a connection may send nothing, headers
 * included, before it is closed (default PT30S); {@code signUpsPerAddressPerHour} and
 * {@code signUpsPerHour}, how many owner accounts open sign-up ({@code POST /v1/owners}) creates
 * per client address and in all each hour (default 3 and 100); {@code trustedProxies}, the
 * comma-separated addresses or networks of reverse proxies whose {@code X-Forwarded-For} names the
 * client that the per-address limits count (default none: the peer is the client; see
 * {@link ClientAddress}); {@code accessLog}, whether each request is logged at INFO on the logger
 * {@code dev.muster.transport.http.access} (default false); {@code gracePeriod}, how long stopping
 * waits for requests in flight before it cuts them (default PT10S). Durations are ISO-8601 or a number with a unit
 * ({@code 500ms}, {@code 30s}, {@code 2m}; see {@link Durations}), as for every other setting.
 *
 * <p>Limits on what a request asks for (jobs per submission, results per report, tickets per
 * lease, the longest long poll) are the coordinator's ({@code submit.maxBatch},
 * {@code report.maxBatch}, {@code lease.maxBatch}, {@code lease.maxWait}), checked once by its API
 * whatever the transport; the transport bounds only what it reads ({@code maxBodyBytes}).
 *
 * @param host         interface to listen on
 * @param port         port, 0 for any free one
 * @param maxBodyBytes largest request body accepted
 * @param maxThreads   largest server thread pool
 * @param replayWindow how far a signed request's timestamp may be from the server's clock
 * @param apiKeys      submitter and admin keys, hashed
 * @param ratePerAddress requests per second from one client address, 0 for no limit
 * @param ratePerWorker  signed requests per second from one worker, 0 for no limit
 * @param keyStore       key store for TLS, or null for plain HTTP
 * @param keyStorePassword its password
 * @param keyStoreType   its type, PKCS12 or JKS
 * @param sessionTtl     how long a worker session from {@code /v1/workers/login} lasts (default PT15M)
 * @param bodyTimeout    longest time from a request's headers to the last byte of its body
 * @param maxPendingBodies most unauthenticated request bodies still arriving at once
 * @param maxPendingBodiesPerAddress most of those from one client address
 * @param maxPendingBodyBytes most bytes held by the buffers of those bodies, in all
 * @param idleTimeout    longest silence on a connection before it is closed
 * @param signUpsPerAddressPerHour owner accounts one client address may sign up for per hour
 * @param signUpsPerHour owner accounts sign-up creates per hour in all
 * @param trustedProxies reverse proxies whose forwarded-for header is believed, or empty
 * @param accessLog      whether each request is logged
 * @param gracePeriod    how long stopping waits for requests in flight
 */
public record HttpSettings(String host, int port, int maxBodyBytes, int maxThreads, Duration replayWindow,
                           String apiKeys, double ratePerAddress, double ratePerWorker, String keyStore,
                           String keyStorePassword, String keyStoreType, Duration sessionTtl,
                           Duration bodyTimeout, int maxPendingBodies, int maxPendingBodiesPerAddress,
                           long maxPendingBodyBytes, Duration idleTimeout, int signUpsPerAddressPerHour,
                           int signUpsPerHour, String trustedProxies, boolean accessLog, Duration gracePeriod) {
    private static final Set<String> KNOWN = Set.of("host", "port", "maxBodyBytes", "maxThreads",
            "replayWindow", "apiKeys", "ratePerAddress", "ratePerWorker", "keyStore", "keyStorePassword",
            "keyStoreType", "sessionTtl", "bodyTimeout", "maxPendingBodies", "maxPendingBodiesPerAddress",
            "maxPendingBodyBytes", "idleTimeout", "signUpsPerAddressPerHour", "signUpsPerHour", "trustedProxies",
            "accessLog", "gracePeriod");

    /** @throws ConfigurationException if a value is out of range */
    public HttpSettings {
        if (host == null || host.isBlank()) {
            throw new ConfigurationException("transport.host must not be blank");
        }
        check(port, "port", 0, 65_535);
        check(maxBodyBytes, "maxBodyBytes", 1024, 1 << 30);
        check(maxThreads, "maxThreads", 8, 10_000);
        if (replayWindow == null || replayWindow.isNegative() || replayWindow.isZero()) {
            throw new ConfigurationException("transport.replayWindow must be a positive duration, was " + shown(replayWindow));
        }
        if (sessionTtl == null || sessionTtl.compareTo(Duration.ofSeconds(10)) < 0
                || sessionTtl.compareTo(Duration.ofDays(1)) > 0) {
            throw new ConfigurationException("transport.sessionTtl must be a duration from 10s to 1d, was " + shown(sessionTtl));
        }
        connectionTimeout(bodyTimeout, "bodyTimeout");
        connectionTimeout(idleTimeout, "idleTimeout");
        check(maxPendingBodies, "maxPendingBodies", 1, 1_000_000);
        check(maxPendingBodiesPerAddress, "maxPendingBodiesPerAddress", 1, 1_000_000);
        if (maxPendingBodyBytes < maxBodyBytes || maxPendingBodyBytes > 1L << 40) {
            throw new ConfigurationException("transport.maxPendingBodyBytes must be in [maxBodyBytes (" + maxBodyBytes
                    + "), " + (1L << 40) + "], was " + maxPendingBodyBytes);
        }
        if (gracePeriod == null || gracePeriod.isNegative() || gracePeriod.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new ConfigurationException("transport.gracePeriod must be a duration from 0 to 5m, was "
                    + shown(gracePeriod));
        }
        new ClientAddress(trustedProxies == null ? "" : trustedProxies);
        if (keyStore != null && !java.nio.file.Files.isReadable(java.nio.file.Path.of(keyStore))) {
            throw new ConfigurationException("transport.keyStore " + keyStore + " is not a readable file");
        }
        if (keyStore != null && keyStorePassword == null) {
            throw new ConfigurationException("transport.keyStorePassword is required with transport.keyStore");
        }
        for (double r : new double[] {ratePerAddress, ratePerWorker}) {
            if (!(r >= 0) || Double.isInfinite(r) || (r > 0 && r < 1)) {
                throw new ConfigurationException("transport.ratePerAddress and ratePerWorker must be 0 (off) or at "
                        + "least 1 request per second; were " + ratePerAddress + " and " + ratePerWorker);
            }
        }
    }

    private static String shown(Duration d) {
        return d == null ? "null" : Durations.format(d);
    }

    private static void connectionTimeout(Duration d, String name) {
        if (d == null || d.compareTo(Duration.ofMillis(100)) < 0 || d.compareTo(Duration.ofHours(1)) > 0) {
            throw new ConfigurationException("transport." + name + " must be a duration from 100ms to 1h, was " + shown(d));
        }
    }

    private static void check(int v, String name, int min, int max) {
        if (v < min || v > max) {
            throw new ConfigurationException("transport." + name + " must be in [" + min + ", " + max + "], was " + v);
        }
    }

    /**
     * Reads the settings from {@code transport.*} properties (keys without the prefix).
     *
     * @throws ConfigurationException for an unknown key or a malformed value, naming the full key
     */
    public static HttpSettings from(Map<String, String> settings) {
        SettingsReader s = SettingsReader.of("transport.", "HTTP transport", settings, KNOWN);
        int maxBodyBytes = s.integer("maxBodyBytes", 4 << 20);
        return new HttpSettings(s.string("host", "127.0.0.1"),
                s.integer("port", 8080),
                maxBodyBytes,
                s.integer("maxThreads", 64),
                s.duration("replayWindow", Duration.ofSeconds(60)),
                s.string("apiKeys", ""),
                s.decimal("ratePerAddress", 200),
                s.decimal("ratePerWorker", 50),
                s.string("keyStore", null), settings.get("keyStorePassword"), s.string("keyStoreType", "PKCS12"),
                s.duration("sessionTtl", Duration.ofMinutes(15)),
                s.duration("bodyTimeout", Duration.ofSeconds(30)),
                s.integer("maxPendingBodies", 1000),
                s.integer("maxPendingBodiesPerAddress", 50),
                s.longInteger("maxPendingBodyBytes", Math.max(64L << 20, maxBodyBytes)),
                s.duration("idleTimeout", Duration.ofSeconds(30)),
                s.integer("signUpsPerAddressPerHour", 3, 1, 1_000_000),
                s.integer("signUpsPerHour", 100, 1, 1_000_000),
                s.string("trustedProxies", ""),
                s.bool("accessLog", false),
                s.duration("gracePeriod", Duration.ofSeconds(10)));
    }
}
