package dev.muster.worker;

import dev.muster.spi.RequestSigning;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muster.spi.Capabilities;
import dev.muster.spi.Digests;
import dev.muster.spi.JobId;
import dev.muster.spi.JobSpec;
import dev.muster.spi.Keys;
import dev.muster.spi.ErrorCode;
import dev.muster.spi.MusterException;
import dev.muster.spi.ReportOutcome;
import dev.muster.spi.ReportStatus;
import dev.muster.spi.RejectionReason;
import dev.muster.spi.ReleaseReason;
import dev.muster.spi.ResultReport;
import dev.muster.spi.SignedBytes;
import dev.muster.spi.Ticket;
import dev.muster.spi.TicketRef;
import dev.muster.spi.WorkerId;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The worker side of the HTTP API: registers with its Ed25519 key, then signs every request and
 * every batch of results. Running jobs and the lease-run-report loop are the caller's.
 *
 * <p>Thread-safe: the JDK {@link HttpClient} is, and each request gets its own nonce.
 */
public final class WorkerClient {
    /** Reads and writes JSON; the coordinator refuses unknown fields, so only known ones are written. */
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a worker registered with, to register again with when the coordinator forgot it. */
    private record Registered(String owner, String ownerSecret, Capabilities caps, String clientBuild,
                              int maxConcurrentLeases) {
        /** Never shows the owner's secret. */
        @Override
        public String toString() {
            return "Registered[owner=" + owner + ", clientBuild=" + clientBuild + "]";
        }
    }

    private final HttpClient http;
    private final URI base;
    private final KeyPair keys;
    private final WorkerId id;
    private final SecureRandom random = new SecureRandom();
    private volatile boolean useSessions;
    /** The coordinator key every ticket batch must verify with; null until pinned. */
    private volatile PublicKey coordinatorKey;
    /** Set once the coordinator said, on first contact, that it does not sign tickets. */
    private volatile boolean unsignedOnFirstContact;
    /** A session token and when it expires, replaced whole so that threads never see half of one. */
    private record Session(String token, Instant expires) {}

    private volatile Session session;
    private volatile Registered registration;

    /**
     * @param base the coordinator's API root, e.g. {@code http://127.0.0.1:8080/v1/}
     * @param keys the worker's Ed25519 key pair; its identity
     */
    public WorkerClient(URI base, KeyPair keys) {
        this(base, keys, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build());
    }

    /**
     * @param base the coordinator's API root
     * @param keys the worker's Ed25519 key pair
     * @param http the HTTP client to use, e.g. one whose SSL context trusts a private CA
     */
    public WorkerClient(URI base, KeyPair keys, HttpClient http) {
        this.http = http;
        this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
        this.keys = keys;
        this.id = WorkerId.of(keys.getPublic());
    }

    /**
     * Loads the key pair from a PEM file, or creates one there: see {@link Keys#loadOrCreate}.
     *
     * @throws IOException if the file cannot be read or written
     */
    public static KeyPair loadOrCreateKey(Path file) throws IOException {
        return Keys.loadOrCreate(file);
    }

    /**
     * Pins the key that must sign every ticket batch this client accepts, for instance one the
     * pool's operator published or one saved from an earlier first contact
     * ({@link #coordinatorKey()}). A batch not signed by it is refused: {@link #lease} throws and
     * none of its tickets is run. Without a pinned key the client pins, on its first lease, the key
     * the coordinator publishes at {@code /v1/coordinator/key}.
     *
     * @return this client
     */
    public WorkerClient pinCoordinatorKey(PublicKey key) {
        if (key == null || !Keys.isEd25519(key)) {
            throw new IllegalArgumentException("the coordinator key must be an Ed25519 public key");
        }
        this.coordinatorKey = key;
        this.unsignedOnFirstContact = false;
        return this;
    }

    /** @return the coordinator key this client verifies ticket batches with, once pinned */
    public java.util.Optional<PublicKey> coordinatorKey() {
        return java.util.Optional.ofNullable(coordinatorKey);
    }

    /**
     * Uses a session after one signed login instead of signing every request: two Ed25519
     * operations fewer per call. The session is a bearer token: use it over TLS or on a trusted
     * network. Result batches stay signed either way.
     */
    public WorkerClient useSessions() {
        this.useSessions = true;
        return this;
    }

    /** @return this worker's id */
    public WorkerId id() {
        return id;
    }

    /**
     * Asks for a challenge, signs it with the registration details and registers under a declared
     * owner, as pools that do not verify owners take it.
     *
     * @throws HttpProblemException if the coordinator refuses
     */
    public void register(String owner, Capabilities caps, String clientBuild, int maxConcurrentLeases) {
        register(owner, null, caps, clientBuild, maxConcurrentLeases);
    }

    /**
     * Asks for a challenge, signs it with the registration details and registers under an owner
     * account, presenting its secret (where owners are verified; null where they are declared).
     *
     * @throws HttpProblemException if the coordinator refuses
     */
    public void register(String owner, String ownerSecret, Capabilities caps, String clientBuild,
                         int maxConcurrentLeases) {
        JsonNode challenge = send("POST", "workers/challenge", new byte[0], false);
        byte[] c = Base64.getDecoder().decode(challenge.get("challenge").asText());
        byte[] proof = Keys.sign(keys.getPrivate(),
                SignedBytes.registration(c, keys.getPublic(), owner, caps, clientBuild, maxConcurrentLeases));
        ObjectNode form = JSON.createObjectNode().put("publicKey", b64(keys.getPublic().getEncoded()))
                .put("owner", owner).put("clientBuild", clientBuild).put("maxConcurrentLeases", maxConcurrentLeases)
                .put("challenge", b64(c)).put("signature", b64(proof));
        ObjectNode capabilities = form.putObject("capabilities").put("cores", caps.cores())
                .put("memoryMb", caps.memoryMb()).put("gpu", caps.gpu());
        caps.labels().stream().sorted().forEach(capabilities.putArray("labels")::add);
        if (ownerSecret != null) {
            form.put("ownerSecret", ownerSecret);
        }
        send("POST", "workers/register", json(form), false);
        registration = new Registered(owner, ownerSecret, caps, clientBuild, maxConcurrentLeases);
    }

    /**
     * Registers again with what the last successful {@link #register} call gave, for a worker the
     * coordinator no longer knows (it restarted on the memory store, or an admin removed it).
     *
     * @return false if this client never registered, so there is nothing to register again with
     * @throws HttpProblemException if the coordinator refuses
     */
    public synchronized boolean registerAgain() {
        Registered r = registration;
        if (r == null) {
            return false;
        }
        session = null;
        register(r.owner(), r.ownerSecret(), r.caps(), r.clientBuild(), r.maxConcurrentLeases());
        return true;
    }

    /** Sends a heartbeat. */
    public void heartbeat() {
        send("POST", "workers/heartbeat", new byte[0], true);
    }

    /**
     * Tells the coordinator this worker is stopping: it gets no new leases and may still report
     * what it holds. Registering again later makes it active (an admin's drain, by contrast,
     * lasts until an admin resumes the worker).
     */
    public void drain() {
        send("POST", "workers/drain", new byte[0], true);
    }

    /**
     * Leases up to {@code max} tickets. The payload digest of each is checked against its payload,
     * so a corrupted payload is never run.
     */
    public List<Ticket> lease(int max) {
        return lease(max, Duration.ZERO);
    }

    /**
     * Leases up to {@code max} tickets, waiting up to {@code wait} for work when there is none now
     * (a long poll; the coordinator caps the wait).
     */
    public List<Ticket> lease(int max, Duration wait) {
        if (coordinatorKey == null && !unsignedOnFirstContact) {
            pinPublishedKey();
        }
        ObjectNode form = JSON.createObjectNode().put("max", max);
        if (!wait.isZero()) {
            form.put("wait", wait.toString());
        }
        JsonNode batch = send("POST", "workers/lease", json(form), true);
        List<Ticket> out = new ArrayList<>();
        for (JsonNode t : batch.get("tickets")) {
            byte[] payload = Base64.getDecoder().decode(t.get("payload").asText());
            String digest = t.get("payloadDigest").asText();
            if (!Digests.sha256Hex(payload).equals(digest)) {
                throw new MusterException(ErrorCode.BAD_PAYLOAD, "payload of job " + t.get("jobId").asText()
                        + " does not match its digest");
            }
            String traceparent = t.hasNonNull("traceparent") ? t.get("traceparent").asText() : null;
            JobSpec spec = JobSpec.builder(t.get("type").asText(), payload).mediaType(t.get("mediaType").asText())
                    .seed(t.get("seed").asLong()).traceparent(traceparent).build();
            out.add(new Ticket(JobId.parse(t.get("jobId").asText()), t.get("replica").asInt(), spec.type(), spec,
                    digest, Instant.parse(t.get("deadline").asText()), traceparent));
        }
        verify(batch, out);
        return out;
    }

    /**
     * Pins the key the coordinator publishes at {@code /v1/coordinator/key} (trust on first use),
     * as the first lease does when no key is pinned; call it early to save the key and pin it
     * from configuration next time. A coordinator that does not sign tickets pins nothing.
     *
     * @return the key now pinned, empty if the coordinator does not sign tickets
     * @throws HttpProblemException if the coordinator does not publish a key
     */
    public java.util.Optional<PublicKey> pinPublishedKey() {
        JsonNode key = send("GET", "coordinator/key", null, false);
        if (key.path("signsTickets").asBoolean(false)) {
            pinCoordinatorKey(Keys.publicKey(Base64.getDecoder().decode(key.path("publicKey").asText())));
        } else {
            unsignedOnFirstContact = true;
        }
        return coordinatorKey();
    }

    /** Refuses a batch that is not for this worker or not signed by the pinned coordinator key. */
    private void verify(JsonNode batch, List<Ticket> tickets) {
        PublicKey key = coordinatorKey;
        if (key == null || tickets.isEmpty()) {
            return;
        }
        boolean ok;
        try {
            ok = id.value().equals(batch.path("worker").asText())
                    && Keys.verify(key, SignedBytes.tickets(id, Instant.parse(batch.path("issuedAt").asText()), tickets),
                    Base64.getDecoder().decode(batch.path("signature").asText()));
        } catch (RuntimeException e) {
            ok = false;
        }
        if (!ok) {
            // Given back unrun, so that a worker pinned to the wrong key holds no lease that would
            // expire and cost the jobs an attempt; an impostor learns nothing from it.
            try {
                release(tickets, ReleaseReason.NOT_RUN);
            } catch (MusterException e) {
                // the leases run out at their deadline instead
            }
            throw new MusterException(ErrorCode.BAD_SIGNATURE, "a batch of " + tickets.size() + " tickets is not"
                    + " signed by the pinned coordinator key for this worker; none of them is run, all are given back");
        }
    }

    /** Signs the batch once and reports it. @return one outcome per result */
    public List<ReportOutcome> report(List<ResultReport> results) {
        byte[] sig = Keys.sign(keys.getPrivate(), SignedBytes.results(id, results));
        ObjectNode form = JSON.createObjectNode();
        ArrayNode forms = form.putArray("results");
        for (ResultReport r : results) {
            ObjectNode result = forms.addObject().put("jobId", r.jobId().toString()).put("replica", r.replica())
                    .put("seed", r.seed()).put("result", b64(r.result())).put("resultDigest", r.resultDigest());
            ObjectNode metadata = result.putObject("metadata");
            r.metadata().forEach(metadata::put);
        }
        form.put("signature", b64(sig));
        JsonNode body = send("POST", "workers/results", json(form), true);
        List<ReportOutcome> out = new ArrayList<>();
        for (JsonNode o : body.get("outcomes")) {
            JsonNode reason = o.get("reason");
            out.add(new ReportOutcome(JobId.parse(o.get("jobId").asText()), o.get("replica").asInt(),
                    ReportStatus.valueOf(o.get("status").asText()),
                    reason == null ? null : RejectionReason.valueOf(reason.asText()),
                    o.has("detail") ? o.get("detail").asText() : "", Math.max(0, o.path("credit").asDouble(0))));
        }
        return out;
    }

    /**
     * Gives tickets back to the coordinator so their jobs return to the queue now rather than at
     * their lease deadlines: {@link ReleaseReason#FAILED} for jobs this worker tried and could not
     * run (counts an attempt), {@link ReleaseReason#NOT_RUN} for tickets it never started.
     *
     * @return the tickets the coordinator released; tickets this worker no longer held are absent
     * @throws HttpProblemException if the coordinator refuses the call
     */
    public List<TicketRef> release(List<Ticket> tickets, ReleaseReason reason) {
        return release(tickets, reason, null);
    }

    /**
     * As {@link #release(List, ReleaseReason)}, saying what went wrong: for {@link ReleaseReason#FAILED},
     * the coordinator keeps it in the job's failure reason when the job runs out of attempts.
     *
     * @param detail what went wrong, cut to 1,000 characters; or null
     * @return the tickets the coordinator released
     * @throws HttpProblemException if the coordinator refuses the call
     */
    public List<TicketRef> release(List<Ticket> tickets, ReleaseReason reason, String detail) {
        ObjectNode form = JSON.createObjectNode();
        ArrayNode refs = form.putArray("tickets");
        tickets.forEach(t -> refs.addObject().put("jobId", t.jobId().toString()).put("replica", t.replica()));
        form.put("reason", reason.name());
        if (detail != null && !detail.isBlank()) {
            // The coordinator cuts it to 1,000 characters too; cut on a code point, never inside a pair.
            form.put("detail", detail.length() <= 1_000 ? detail
                    : detail.substring(0, detail.offsetByCodePoints(0, detail.codePointCount(0, 990))) + "…");
        }
        JsonNode body = send("POST", "workers/release", json(form), true);
        List<TicketRef> out = new ArrayList<>();
        for (JsonNode t : body.get("released")) {
            out.add(new TicketRef(JobId.parse(t.get("jobId").asText()), t.get("replica").asInt()));
        }
        return out;
    }

    private String currentSession() {
        Session s = session;
        if (s == null || Instant.now().isAfter(s.expires().minusSeconds(30))) {
            synchronized (this) {
                s = session;
                if (s == null || Instant.now().isAfter(s.expires().minusSeconds(30))) {
                    JsonNode login = send("POST", "workers/login", new byte[0], true);
                    s = new Session(login.get("token").asText(), Instant.parse(login.get("expiresAt").asText()));
                    session = s;
                }
            }
        }
        return s.token();
    }

    private static byte[] json(JsonNode value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private JsonNode send(String method, String path, byte[] body, boolean signed) {
        try {
            return sendOnce(method, path, body, signed);
        } catch (HttpProblemException e) {
            // A session another coordinator issued, or one from before a restart, is refused: log in
            // again once, rather than failing every call until the old token would have expired.
            boolean session = signed && useSessions && !path.equals("workers/login");
            if (session && e.status() == 401
                    && (e.type().endsWith("/bad-session") || e.type().endsWith("/session-expired"))) {
                this.session = null;
                return sendOnce(method, path, body, signed);
            }
            throw e;
        }
    }

    private JsonNode sendOnce(String method, String path, byte[] body, boolean signed) {
        URI uri = base.resolve(path);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (signed && useSessions && !path.equals("workers/login")) {
            b.header("Authorization", RequestSigning.SESSION_SCHEME + currentSession());
        } else if (signed) {
            long now = System.currentTimeMillis();
            byte[] n = new byte[16];
            random.nextBytes(n);
            String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(n);
            byte[] toSign = RequestSigning.signedBytes(method, uri.getRawPath() + (uri.getRawQuery() == null ? ""
                    : "?" + uri.getRawQuery()), id.value(), now, nonce, body);
            b.header(RequestSigning.WORKER, id.value()).header(RequestSigning.TIMESTAMP, Long.toString(now))
                    .header(RequestSigning.NONCE, nonce)
                    .header(RequestSigning.SIGNATURE, b64(Keys.sign(keys.getPrivate(), toSign)));
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new MusterException(ErrorCode.UNREACHABLE, "coordinator at " + uri + " is unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MusterException(ErrorCode.INTERRUPTED, "interrupted while calling " + uri, e);
        }
        try {
            JsonNode node = JSON.readTree(response.body());
            if (response.statusCode() / 100 != 2) {
                throw new HttpProblemException(response.statusCode(), node.path("type").asText(),
                        node.path("detail").asText(), response.headers().firstValue("Retry-After").orElse(null));
            }
            return node;
        } catch (IOException e) {
            throw new MusterException(ErrorCode.BAD_RESPONSE, "coordinator answered " + response.statusCode()
                    + " with a body that is not JSON", e);
        }
    }
}
