package dev.muster.transport.http;

import dev.muster.spi.RequestSigning;
import dev.muster.worker.WorkerClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.muster.spi.Capabilities;
import dev.muster.spi.Keys;
import dev.muster.spi.WorkerId;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the HTTP API for a bounded time: requests to every route, with and without credentials
 * (API keys of each scope, a valid worker signature over the fuzzed body, a session token, a
 * forged signature), carrying JSON bodies that are valid-shaped, mutated, of wrong types, with
 * duplicate keys, deeply nested, with huge numbers, odd unicode and nulls, and paths and query
 * strings with odd values and bad percent-encoding. Every answer must be below 500, every error
 * an RFC 9457 problem without internals, and a refused request must leave the pool summary as it
 * was; nothing may be logged at ERROR.
 *
 * <p>Requests are generated from one seeded {@link Random}, so a run is reproducible from the seed
 * it prints: {@code -Dmuster.fuzz.seed=N} (the same inputs in the same order; a run with a longer
 * time tries more of them). It runs for
 * {@code muster.fuzz.seconds} (default 30), e.g. for a longer run:
 * {@code mvn -pl transport-http -am test -Dtest=HttpFuzzTest -Dmuster.fuzz.seconds=600}.
 */
class HttpFuzzTest {
    /** JSON null, as a value of its own (a null in a list is a missing member elsewhere). */
    private static final Object NULL = new Object();

    /** A number written as this exact text, so that the fuzzer can send what Java cannot hold. */
    private record RawNumber(String text) {}

    /** An object as its members in order, so that a key may appear twice. */
    private record JObject(List<Map.Entry<String, Object>> members) {}

    private enum Auth { NONE, SUBMITTER, READER, ADMIN, WRONG_KEY, SIGNED, SESSION, FORGED }

    private record Route(String method, String path, Auth typical, Gen<Object> body) {}

    /** A generator of values from a seeded source of randomness: the same seed, the same values. */
    @FunctionalInterface
    private interface Gen<T> {
        T next(Random r);

        default <U> Gen<U> map(Function<? super T, ? extends U> f) {
            return r -> f.apply(next(r));
        }

        /** @return lists of 0 to {@code max} values */
        default Gen<Object> list(int max) {
            return r -> {
                int n = r.nextInt(max + 1);
                List<Object> l = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    l.add(next(r));
                }
                return l;
            };
        }
    }

    @SafeVarargs
    private static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
        return r -> gens[r.nextInt(gens.length)].next(r);
    }

    @SafeVarargs
    private static <T> Gen<T> of(T... values) {
        return r -> values[r.nextInt(values.length)];
    }

    private static Gen<Object> ints(long min, long max) {
        return r -> min + (long) (r.nextDouble() * (max - min + 1));
    }

    /** Any string: printable, letters and digits, any UTF-16 code unit (lone surrogates too), or one of the usual suspects. */
    private static final Gen<String> ODD = oneOf(
            r -> {
                char[] c = new char[r.nextInt(25)];
                for (int i = 0; i < c.length; i++) {
                    c[i] = (char) r.nextInt(Character.MAX_VALUE + 1);
                }
                return new String(c);
            },
            r -> {
                char[] c = new char[r.nextInt(13)];
                for (int i = 0; i < c.length; i++) {
                    c[i] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".charAt(r.nextInt(62));
                }
                return new String(c);
            },
            of("", "echo", "owner", "worker", "PT1S", "PT-1S", "P106751991167300D", "PT9223372036854775807S", "AQ==",
                    "not base64!", "%zz", "null", "0", "-1", "1e400", "\u0000", "\uD800", "\uFFFF", "\u202E",
                    "\uD83D\uDE00", "A".repeat(300), "ACCEPTED", "RUNNING", "../..", "1.5", "true", "P36500D", "PT30S"));
    private static final Gen<Object> SCALAR = oneOf(of(NULL), of(true, false), ints(Integer.MIN_VALUE, Integer.MAX_VALUE),
            Random::nextLong, r -> new BigInteger(100, r).subtract(BigInteger.TWO.pow(99)),
            r -> r.nextBoolean() ? r.nextDouble() : r.nextGaussian() * 1e300,
            of("1e400", "-0", "1.5", "99999999999999999999", "1E-400", "0.0", "-9223372036854775809").map(RawNumber::new),
            ODD.map(x -> x));
    private static final Gen<Object> ANY_JSON = anyJson(4);

    /** Any JSON value, nested at most {@code depth} deep. */
    private static Gen<Object> anyJson(int depth) {
        if (depth == 0) {
            return SCALAR;
        }
        Gen<Object> inner = anyJson(depth - 1);
        Gen<Object> object = r -> {
            int n = r.nextInt(4);
            List<Map.Entry<String, Object>> members = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                members.add(Map.entry(ODD.next(r), inner.next(r)));
            }
            return new JObject(members);
        };
        return oneOf(SCALAR, SCALAR, inner.list(4), object);
    }

    private KeyPair workerKey;
    private String workerId;
    private String session;

    @Test
    void fuzz_everyRoute_neverAnswers5xx_refusedInputChangesNothing() throws Exception {
        long seed = Long.getLong("muster.fuzz.seed", new SecureRandom().nextLong());
        long seconds = Long.getLong("muster.fuzz.seconds", 30);
        System.out.println("HttpFuzzTest: seed " + seed + " (-Dmuster.fuzz.seed=" + seed + "), " + seconds + " s");
        Random random = new Random(seed);
        StderrCapture log = StderrCapture.start();
        // Long polls end within 2 s: a mutated wait ("PT31S" to "PT30S") is a valid request, not a hang.
        try (HttpFixture f = new HttpFixture(Map.of("ratePerWorker", "0", "ratePerAddress", "0", "bodyTimeout", "PT2S"),
                Duration.ofSeconds(2))) {
            workerKey = Keys.generate();
            WorkerClient worker = new WorkerClient(f.base, workerKey);
            worker.register("fuzz", Capabilities.of(2, 1024), "b", 8);
            workerId = WorkerId.of(workerKey.getPublic()).value();
            session = f.call("POST", "workers/login", "", signedHeaders("POST", "/v1/workers/login", "")).body()
                    .get("token").asText();
            assertEquals(201, f.submit(HttpFixture.SUBMITTER_KEY, HttpFixture.echoJobs(5, 1)).status());

            List<Route> routes = routes();
            Gen<String> pickQuery = query();
            Gen<String> pickSegment = segment();

            JsonNode pool = f.call("GET", "pool", null).body();
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            int tried = 0;
            int refused = 0;
            Map<Integer, Integer> statuses = new java.util.TreeMap<>();
            long slowest = 0;
            String slowestWhat = "";
            while (System.nanoTime() < end) {
                Route route = routes.get(random.nextInt(routes.size()));
                // Mostly the credentials the route wants, so that bodies get past authentication.
                Auth auth = random.nextInt(4) == 0 ? Auth.values()[random.nextInt(Auth.values().length)] : route.typical();
                String path = route.path().replace("{id}", pickSegment.next(random));
                if (random.nextInt(3) == 0) {
                    path += "?" + pickQuery.next(random);
                }
                String body = route.body() == null ? "" : write(route.body().next(random));
                body = mutate(body, random.nextInt(10), random);
                String request = request(route.method(), path, body, auth);
                long sent = System.nanoTime();
                RawReply reply;
                try {
                    reply = RawReply.exchange(f.base, request.getBytes(StandardCharsets.UTF_8), -1);
                } catch (AssertionError e) {
                    throw new AssertionError("input #" + (tried + 1) + " (seed " + seed + "): " + request, e);
                }
                long took = (System.nanoTime() - sent) / 1_000_000;
                if (took > slowest) {
                    slowest = took;
                    slowestWhat = route.method() + " " + path + " -> " + reply.status();
                }
                tried++;
                statuses.merge(reply.status(), 1, Integer::sum);
                String what = "input #" + tried + " (seed " + seed + "): " + request + "\n -> " + reply;
                assertTrue(reply.status() < 500, what);
                if (reply.status() >= 400) {
                    refused++;
                    assertTrue(reply.header("content-type").startsWith("application/problem+json"), what);
                    assertEquals(reply.status(), reply.json().get("status").asInt(), what);
                    for (String internal : List.of("dev.muster.", "java.", "org.eclipse", "com.fasterxml", "Exception",
                            "\tat ", "<html")) {
                        assertTrue(request.contains(internal) || !reply.body().contains(internal), what);
                    }
                    JsonNode after = f.call("GET", "pool", null).body();
                    assertEquals(pool, after, "refused input changed the pool: " + what);
                } else {
                    pool = f.call("GET", "pool", null).body();
                }
            }
            System.out.println("HttpFuzzTest: " + tried + " inputs tried, " + refused + " refused, statuses " + statuses
                    + ", slowest " + slowest + " ms (" + slowestWhat + "), seed " + seed);
            // At least one input a second: a loop stuck on hanging requests is a failure too.
            assertTrue(tried >= seconds, "only " + tried + " inputs in " + seconds + " s");
        } finally {
            log.stop();
        }
        log.assertNoErrors();
    }

    // ---------------------------------------------------------------- generators

    private List<Route> routes() {
        Gen<Object> none = null;
        Gen<Object> resources = object(Map.of("cores", ints(-1, 64), "memoryMb", ints(-1, 1 << 20),
                "gpu", of(true, false), "labels", of("a", "gpu", "x86").list(3)));
        Gen<Object> job = object(Map.of("type", of("echo", "chess"), "payload", of("AQ==", "Z2FtZQ==", ""),
                "seed", Random::nextLong, "priority", ints(-5, 20), "mediaType", of("application/json", "text/plain"),
                "requirements", resources, "timeout", of("PT10M", "PT1S", "P1D"), "maxAttempts", ints(0, 10),
                "idempotencyKey", ODD.map(x -> x)));
        Gen<Object> submission = object(Map.of("jobs", job.list(3)));
        Gen<Object> key = of(Base64.getEncoder().encodeToString(Keys.generate().getPublic().getEncoded()));
        Gen<Object> registration = object(Map.of("publicKey", key, "owner", ODD.map(x -> x), "capabilities", resources,
                "clientBuild", ODD.map(x -> x), "maxConcurrentLeases", ints(-1, 100), "challenge", of("AAAA"),
                "signature", of("AAAA")));
        Gen<Object> lease = object(Map.of("max", ints(-1, 100), "wait", of("PT0S", "PT0.1S", "PT31S", "PT-1S", "P1D")));
        Gen<Object> metadata = r -> new JObject(List.of(Map.entry(ODD.next(r), r.nextBoolean() ? (Object) ODD.next(r) : NULL)));
        Gen<Object> result = object(Map.of("jobId", of("1", "2", "0", "-1", "99999999999"), "replica", ints(-1, 3),
                "seed", Random::nextLong, "result", of("AQ=="), "resultDigest", ODD.map(x -> x), "metadata", metadata));
        Gen<Object> results = object(Map.of("results", result.list(3), "signature", of("AAAA")));
        Gen<Object> ban = object(Map.of("reason", ODD.map(x -> x)));
        Gen<Object> keyForm = object(Map.of("publicKey", key));
        return List.of(
                new Route("GET", "health", Auth.NONE, none), new Route("GET", "pool", Auth.NONE, none),
                new Route("GET", "openapi.yaml", Auth.NONE, none), new Route("GET", "leaderboard", Auth.NONE, none),
                new Route("POST", "workers/challenge", Auth.NONE, none),
                new Route("POST", "workers/register", Auth.NONE, registration),
                new Route("POST", "workers/login", Auth.SIGNED, none),
                new Route("POST", "workers/heartbeat", Auth.SIGNED, none),
                new Route("POST", "workers/lease", Auth.SIGNED, lease),
                new Route("POST", "workers/lease", Auth.SESSION, lease),
                new Route("POST", "workers/results", Auth.SIGNED, results),
                new Route("POST", "workers/drain", Auth.FORGED, none),
                new Route("POST", "jobs", Auth.SUBMITTER, submission), new Route("GET", "jobs", Auth.READER, none),
                new Route("GET", "jobs/{id}", Auth.READER, none), new Route("GET", "jobs/{id}/result", Auth.READER, none),
                new Route("POST", "jobs/{id}/cancel", Auth.WRONG_KEY, none),
                new Route("GET", "admin/rejections", Auth.ADMIN, none), new Route("GET", "admin/workers", Auth.ADMIN, none),
                new Route("GET", "admin/workers/{id}", Auth.ADMIN, none),
                new Route("POST", "admin/workers/{id}/ban", Auth.READER, ban),
                new Route("PUT", "admin/allowlist/{id}", Auth.READER, keyForm),
                new Route("DELETE", "admin/allowlist/{id}", Auth.READER, none),
                new Route("DELETE", "jobs/{id}", Auth.SUBMITTER, none), new Route("GET", "{id}", Auth.NONE, none));
    }

    /**
     * Objects with some of {@code fields} (each left out one time in five), each mostly of its
     * usual kind of value and sometimes any JSON value at all; now and then with a key it does not know.
     */
    private static Gen<Object> object(Map<String, Gen<Object>> fields) {
        List<String> names = new ArrayList<>(new java.util.TreeSet<>(fields.keySet()));
        return r -> {
            List<Map.Entry<String, Object>> members = new ArrayList<>();
            for (String name : names) {
                if (r.nextInt(5) > 0) {
                    members.add(Map.entry(name, r.nextInt(9) < 7 ? fields.get(name).next(r) : ANY_JSON.next(r)));
                }
            }
            if (r.nextInt(10) == 0) {
                members.add(r.nextInt(members.size() + 1), Map.entry(r.nextBoolean() || members.isEmpty() ? "unknown"
                        : members.get(0).getKey(), ANY_JSON.next(r)));
            }
            return new JObject(members);
        };
    }

    private static Gen<String> segment() {
        return oneOf(of("1", "2", "0", "-1", "99999999999999999999", "abc", "", "%2F", "%zz", "%00", "..", "%2e%2e",
                        "ffffffffffffffffffffffffffffffff", ";x", "1;2", "%E0%A4"),
                r -> Long.toString(r.nextLong()), ODD.map(HttpFuzzTest::encode));
    }

    private static Gen<String> query() {
        Gen<String> name = of("scope", "window", "limit", "offset", "state", "type", "after", "submitter", "x", "",
                "%zz");
        Gen<String> value = oneOf(ODD.map(HttpFuzzTest::encode), of("%zz", "%", "%E0%A4", "+", "%2B", "2147483648",
                "-2147483649", "owner", "worker", "PT1H", "P99999999999999999999D", "ACCEPTED", "accepted", "1", "0"));
        return r -> {
            int n = 1 + r.nextInt(3);
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                parts.add(r.nextInt(5) == 0 ? name.next(r) : name.next(r) + "=" + value.next(r));
            }
            return String.join("&", parts);
        };
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Sometimes spoils well-formed JSON text: cut, a duplicated key, trailing junk, deep nesting, a stray byte. */
    private static String mutate(String body, int how, Random random) {
        switch (how) {
            case 0:
                return body.isEmpty() ? body : body.substring(0, random.nextInt(body.length()));
            case 1: {
                int brace = body.indexOf('{');
                return brace < 0 ? body : body.substring(0, brace + 1) + "\"max\":1,\"max\":2,"
                        + (body.charAt(brace + 1) == '}' ? "\"x\":0" : "") + body.substring(brace + 1);
            }
            case 2:
                return body + (random.nextBoolean() ? " {}" : "x");
            case 3: {
                int depth = 20 + random.nextInt(40);
                return "[".repeat(depth) + "]".repeat(depth);
            }
            case 4:
                if (body.isEmpty()) {
                    return "\u00ff\u0000";
                }
                int at = random.nextInt(body.length());
                return body.substring(0, at) + (char) random.nextInt(0x80) + body.substring(at + 1);
            default:
                return body;
        }
    }

    private static String write(Object v) {
        StringBuilder sb = new StringBuilder();
        write(v, sb);
        return sb.toString();
    }

    private static void write(Object v, StringBuilder sb) {
        if (v == null || v == NULL) {
            sb.append("null");
        } else if (v instanceof RawNumber n) {
            sb.append(n.text());
        } else if (v instanceof Double d) {
            sb.append(d.isNaN() || d.isInfinite() ? "1e999" : d.toString());
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof String s) {
            try {
                sb.append(Json.MAPPER.writeValueAsString(s));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                sb.append(i == 0 ? "" : ",");
                write(l.get(i), sb);
            }
            sb.append(']');
        } else if (v instanceof JObject o) {
            sb.append('{');
            for (int i = 0; i < o.members().size(); i++) {
                sb.append(i == 0 ? "" : ",");
                write(o.members().get(i).getKey(), sb);
                sb.append(':');
                write(o.members().get(i).getValue(), sb);
            }
            sb.append('}');
        } else {
            throw new IllegalArgumentException(String.valueOf(v));
        }
    }

    // ---------------------------------------------------------------- requests

    private String request(String method, String path, String body, Auth auth) {
        String target = "/v1/" + path;
        StringBuilder sb = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: localhost\r\n"
                + "Connection: close\r\nContent-Type: application/json\r\n");
        String[] headers = switch (auth) {
            case NONE -> new String[0];
            case SUBMITTER -> new String[] {"Authorization", "Bearer " + HttpFixture.SUBMITTER_KEY};
            case READER -> new String[] {"Authorization", "Bearer " + HttpFixture.READER_KEY};
            case ADMIN -> new String[] {"Authorization", "Bearer " + HttpFixture.ADMIN_KEY};
            case WRONG_KEY -> new String[] {"Authorization", "Bearer nobody"};
            case SESSION -> new String[] {"Authorization", HttpTransport.SESSION_SCHEME + session};
            case SIGNED -> signedHeaders(method, target, body);
            case FORGED -> {
                String[] h = signedHeaders(method, target, body);
                h[7] = Base64.getEncoder().encodeToString(new byte[64]);
                yield h;
            }
        };
        for (int i = 0; i < headers.length; i += 2) {
            sb.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        sb.append("Content-Length: ").append(bytes.length).append("\r\n\r\n").append(body);
        return sb.toString();
    }

    private String[] signedHeaders(String method, String target, String body) {
        long now = System.currentTimeMillis();
        String nonce = "fuzz-" + Long.toHexString(new SecureRandom().nextLong());
        byte[] toSign = RequestSigning.signedBytes(method, target, workerId, now, nonce,
                body.getBytes(StandardCharsets.UTF_8));
        return new String[] {RequestSigning.WORKER, workerId, RequestSigning.TIMESTAMP, Long.toString(now),
            RequestSigning.NONCE, nonce, RequestSigning.SIGNATURE,
            Base64.getEncoder().encodeToString(Keys.sign(workerKey.getPrivate(), toSign))};
    }
}
