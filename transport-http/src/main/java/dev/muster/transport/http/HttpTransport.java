package dev.muster.transport.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.muster.spi.Challenge;
import dev.muster.spi.CoordinatorApi;
import dev.muster.spi.InvalidRequestException;
import dev.muster.spi.Job;
import dev.muster.spi.JobId;
import dev.muster.spi.JobQuery;
import dev.muster.spi.JobSpec;
import dev.muster.spi.JobState;
import dev.muster.spi.LeaderboardScope;
import dev.muster.spi.MusterException;
import dev.muster.spi.Readiness;
import dev.muster.spi.RejectionReason;
import dev.muster.spi.ReportOutcome;
import dev.muster.spi.ResultBatch;
import dev.muster.spi.ResultReport;
import dev.muster.spi.UnknownJobException;
import dev.muster.spi.WorkerId;
import dev.muster.spi.transport.Transport;
import dev.muster.transport.http.ApiKeys.Scope;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator API over HTTP/1.1 and JSON, on an embedded Jetty server, under {@code /v1}.
 *
 * <ul>
 *   <li>Public: {@code GET /v1/health} (liveness), {@code GET /v1/health/ready} (readiness),
 *       {@code GET /v1/pool}, {@code GET /v1/leaderboard}, and this
 *       API's OpenAPI description at {@code GET /v1/openapi.yaml}.</li>
 *   <li>Workers: {@code POST /v1/workers/challenge} and {@code /register} (the body carries the proof);
 *       {@code /heartbeat}, {@code /lease}, {@code /results}, {@code /release}, {@code /drain} are signed requests
 *       (see {@link RequestSigning}).</li>
 *   <li>Submitters, with an API key ({@code Authorization: Bearer ...}): {@code POST /v1/jobs},
 *       {@code GET /v1/jobs/{id}}, {@code POST /v1/jobs/{id}/cancel}.</li>
 *   <li>Admins: {@code GET /v1/admin/rejections}, {@code GET /v1/admin/workers/{id}},
 *       {@code POST /v1/admin/workers/{id}/ban}.</li>
 * </ul>
 *
 * Every failure is an RFC 9457 {@code application/problem+json} response with a 4xx status (5xx
 * only for faults of the server itself), and a request that fails changes nothing.
 */
public final class HttpTransport implements Transport {
    private static final Logger LOG = LoggerFactory.getLogger(HttpTransport.class);
    /** Authorization scheme of worker session tokens. */
    static final String SESSION_SCHEME = "Muster-Session ";
    private static final String BODY = "dev.muster.transport.http.body";

    private final CoordinatorApi api;
    private final HttpSettings settings;
    private final InstantSource clock;
    private final RateLimiter addressLimit;
    private final SessionTokens sessions;
    private final Callers callers;
    private final BodyReader bodies;
    private Server server;
    private ServerConnector connector;

    /**
     * @param api      the coordinator to serve
     * @param settings validated settings
     * @param clock    the clock replay protection compares timestamps with
     */
    public HttpTransport(CoordinatorApi api, HttpSettings settings, InstantSource clock) {
        this.api = api;
        this.settings = settings;
        this.clock = clock;
        this.addressLimit = settings.ratePerAddress() > 0 ? new RateLimiter(settings.ratePerAddress()) : null;
        byte[] secret = new byte[32];
        new java.security.SecureRandom().nextBytes(secret);
        this.sessions = new SessionTokens(secret, settings.sessionTtl());
        this.callers = new Callers(api, clock, new ApiKeys(settings.apiKeys()), sessions,
                new ReplayGuard(settings.replayWindow(), 1_000_000),
                settings.ratePerWorker() > 0 ? new RateLimiter(settings.ratePerWorker()) : null);
        this.bodies = new BodyReader(settings.maxBodyBytes(), settings.bodyTimeout(), settings.maxPendingBodies(),
                settings.maxPendingBodiesPerAddress(), settings.maxPendingBodyBytes());
    }

    @Override
    public synchronized void start() {
        QueuedThreadPool threads = new QueuedThreadPool(settings.maxThreads(), 4);
        threads.setName("muster-http");
        server = new Server(threads);
        if (settings.keyStore() != null) {
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStorePath(settings.keyStore());
            tls.setKeyStorePassword(settings.keyStorePassword());
            tls.setKeyStoreType(settings.keyStoreType());
            connector = new ServerConnector(server, tls);
        } else {
            connector = new ServerConnector(server);
        }
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        // Headers that trickle in hold no thread (Jetty parses them as they come), only a connection,
        // which this closes when it falls silent.
        connector.setIdleTimeout(settings.idleTimeout().toMillis());
        server.addConnector(connector);
        server.setErrorHandler(new ProblemErrorHandler());
        server.setHandler(new Router());
        try {
            server.start();
        } catch (Exception e) {
            close();
            throw new MusterException("transport", "HTTP transport cannot listen on " + settings.host() + ":"
                    + settings.port() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public URI address() {
        if (connector == null) {
            throw new IllegalStateException("HTTP transport is not started");
        }
        String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        String scheme = settings.keyStore() != null ? "https" : "http";
        return URI.create(scheme + "://" + host + ":" + connector.getLocalPort() + "/v1/");
    }

    /** @return request bodies of unauthenticated callers still arriving now (see {@link BodyReader}) */
    int pendingBodies() {
        return bodies.pending();
    }

    /** @return bytes held by the buffers of those bodies now */
    long pendingBodyBytes() {
        return bodies.pendingBytes();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            try {
                server.stop();
            } catch (Exception e) {
                LOG.warn("HTTP transport did not stop cleanly", e);
            }
            server = null;
        }
    }

    /**
     * Reads the body without holding a thread while it arrives (see {@link BodyReader}), then
     * routes by method and path; everything routing throws becomes a problem response.
     */
    private final class Router extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String path = Request.getPathInContext(request);
            if (addressLimit != null) {
                try {
                    Callers.throttle(addressLimit, Request.getRemoteAddr(request), "address", clock.millis());
                } catch (HttpError e) {
                    problem(response, callback, e.status, e.type, e.getMessage(), path, e.extensions);
                    return true;
                }
            }
            bodies.read(request, !callers.authenticatedByHeader(request), body -> {
                request.setAttribute(BODY, body);
                respond(request, response, callback, path);
            }, (e, close) -> Problems.write(response, callback, e.status, e.type, e.getMessage(), path, e.extensions,
                    close));
            return true;
        }
    }

    private void respond(Request request, Response response, Callback callback, String path) {
        try {
            if (path.equals("/v1/openapi.yaml")) {
                requireMethod(request.getMethod(), "GET");
                write(response, callback, 200, "application/yaml", openApi());
                return;
            }
            Object body = route(request, path);
            if (body instanceof CompletableFuture<?> pending) {
                // A long poll: answer when it completes, without holding a server thread meanwhile.
                pending.whenComplete((value, error) -> {
                    if (error == null) {
                        try {
                            write(response, callback, 200, "application/json", Json.MAPPER.writeValueAsBytes(value));
                        } catch (JsonProcessingException e) {
                            callback.failed(e);
                        }
                    } else {
                        Throwable cause = error instanceof java.util.concurrent.CompletionException
                                && error.getCause() != null ? error.getCause() : error;
                        if (cause instanceof MusterException m) {
                            problem(response, callback, Problems.status(m), m.code(), m.getMessage(), path, null);
                        } else {
                            LOG.error("HTTP long poll on {} failed", path, cause);
                            problem(response, callback, 500, "internal", "the server failed to handle the "
                                    + "request; it is logged", path, null);
                        }
                    }
                });
                return;
            }
            write(response, callback, 200, "application/json", Json.MAPPER.writeValueAsBytes(body));
        } catch (HttpError e) {
            problem(response, callback, e.status, e.type, e.getMessage(), path, e.extensions);
        } catch (MusterException e) {
            problem(response, callback, Problems.status(e), e.code(), e.getMessage(), path, null);
        } catch (JsonProcessingException e) {
            HttpError refused = Json.refusal(e);
            problem(response, callback, refused.status, refused.type, refused.getMessage(), path, refused.extensions);
        } catch (RuntimeException | IOException e) {
            if (e instanceof HttpException http && http.getCode() >= 400 && http.getCode() < 500) {
                // Jetty refused part of the request as it was read, e.g. a badly encoded query string.
                problem(response, callback, 400, "bad-request", "the request is malformed: " + http.getReason(), path,
                        null);
                return;
            }
            LOG.error("HTTP {} {} failed", request.getMethod(), path, e);
            problem(response, callback, 500, "internal", "the server failed to handle the request; "
                    + "it is logged", path, null);
        }
    }

    private static byte[] openApi() throws IOException {
        try (InputStream in = HttpTransport.class.getResourceAsStream("openapi.yaml")) {
            if (in == null) {
                throw new IOException("openapi.yaml is missing from the transport's jar");
            }
            return in.readAllBytes();
        }
    }

    private Object route(Request request, String path) throws IOException {
        String method = request.getMethod();
        if (!path.startsWith("/v1/")) {
            throw new HttpError(404, "not-found", "no resource at " + path + "; the API is under /v1/");
        }
        String[] p = path.substring(4).split("/", -1);
        switch (p[0]) {
            case "health":
                return health(method, p);
            case "pool":
                requireMethod(method, "GET");
                return Wire.summary(api.summary());
            case "leaderboard":
                requireMethod(method, "GET");
                return leaderboard(Request.extractQueryParameters(request));
            case "workers":
                return workers(request, method, p);
            case "jobs":
                return jobs(request, method, p);
            case "admin":
                return admin(request, method, p);
            default:
                throw new HttpError(404, "not-found", "no resource at " + path);
        }
    }

    // ---------------------------------------------------------------- public

    /**
     * Liveness ({@code /v1/health}) answers UP while the server runs, whatever the store does, so
     * that an orchestrator does not restart a coordinator that waits for its database. Readiness
     * ({@code /v1/health/ready}) answers 503 while requests cannot be served, so that it takes the
     * coordinator out of rotation meanwhile; the coordinator asks its store at most once a second.
     */
    private Object health(String method, String[] p) {
        requireMethod(method, "GET");
        if (p.length == 1) {
            return new Wire.Health("UP");
        }
        if (p.length == 2 && p[1].equals("ready")) {
            Readiness readiness = api.readiness();
            if (!readiness.ready()) {
                throw new HttpError(503, "not-ready", readiness.reason());
            }
            return new Wire.Health("UP");
        }
        throw new HttpError(404, "not-found", "no health resource at /v1/" + String.join("/", p));
    }

    private Object leaderboard(Fields query) {
        String scopeText = query.getValue("scope");
        LeaderboardScope scope;
        try {
            scope = scopeText == null ? LeaderboardScope.OWNER
                    : LeaderboardScope.valueOf(scopeText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("scope must be 'owner' or 'worker', was '" + scopeText + "'");
        }
        Duration window = Wire.duration(query.getValue("window"), "window", null);
        int limit = intParam(query, "limit", 10);
        return new Wire.LeaderboardView(scope.name().toLowerCase(Locale.ROOT), window == null ? null : window.toString(),
                api.leaderboard(scope, window, limit));
    }

    // ---------------------------------------------------------------- workers

    private Object workers(Request request, String method, String[] p) throws IOException {
        requireMethod(method, "POST");
        if (p.length != 2) {
            throw new HttpError(404, "not-found", "no worker resource at /v1/" + String.join("/", p));
        }
        switch (p[1]) {
            case "challenge": {
                Challenge c = api.challenge();
                return new Wire.ChallengeView(Wire.b64(c.value()), Wire.time(c.expiresAt()));
            }
            case "register": {
                Wire.RegistrationForm form = read(request, Wire.RegistrationForm.class);
                return Wire.WorkerView.of(api.register(form.toRegistration()));
            }
            case "login": {
                if (request.getHeaders().get(HttpHeader.AUTHORIZATION) != null) {
                    throw new HttpError(401, "unauthenticated", "log in with a signed request, not a session");
                }
                WorkerId w = authenticateWorker(request, body(request));
                requireNotBanned(w);
                long now = clock.millis();
                return new Wire.SessionView(sessions.issue(w, now),
                        Wire.time(java.time.Instant.ofEpochMilli(now).plus(sessions.ttl())));
            }
            case "heartbeat": {
                WorkerId w = authenticateWorker(request, body(request));
                api.heartbeat(w);
                return Wire.WorkerView.of(api.worker(w).orElseThrow());
            }
            case "lease": {
                byte[] body = body(request);
                WorkerId w = authenticateWorker(request, body);
                Wire.LeaseForm form = parse(body, Wire.LeaseForm.class);
                int max = form.max() == null ? 1 : form.max();
                Duration wait = Wire.duration(form.waitFor(), "wait", Duration.ZERO);
                if (wait.compareTo(settings.maxWait()) > 0 || wait.isNegative()) {
                    throw new InvalidRequestException("wait is " + wait + "; the longest long poll here is "
                            + settings.maxWait());
                }
                if (wait.isZero()) {
                    return Wire.TicketBatchView.of(api.lease(w, max));
                }
                return api.leaseAsync(w, max, wait).thenApply(Wire.TicketBatchView::of);
            }
            case "results": {
                byte[] body = body(request);
                WorkerId w = authenticateWorker(request, body);
                Wire.ResultsForm form = parse(body, Wire.ResultsForm.class);
                if (form.results() == null) {
                    throw new InvalidRequestException("results is required");
                }
                if (form.results().size() > settings.maxBatch()) {
                    throw new InvalidRequestException("a report holds " + form.results().size()
                            + " results; the limit is " + settings.maxBatch());
                }
                List<ResultReport> reports = new ArrayList<>(form.results().size());
                for (Wire.ResultForm r : form.results()) {
                    if (r == null) {
                        throw new InvalidRequestException("results must not contain null");
                    }
                    reports.add(r.toReport());
                }
                ResultBatch batch = new ResultBatch(w, reports, Wire.unb64(form.signature(), "signature"));
                List<ReportOutcome> outcomes = api.report(batch);
                List<Wire.OutcomeView> views = outcomes.stream().map(Wire.OutcomeView::of).toList();
                if (outcomes.stream().noneMatch(ReportOutcome::isSuccess)) {
                    // Nothing in the report was taken: say so with a 4xx, and still list why each was refused.
                    ReportOutcome first = outcomes.get(0);
                    boolean notLeased = first.reason() == RejectionReason.NOT_LEASED;
                    throw new HttpError(notLeased ? 409 : 422, notLeased ? "not-leased" : "result-rejected",
                            "no result in the report was accepted; first: job " + first.jobId() + " replica "
                                    + first.replica() + ": " + first.reason() + " (" + first.detail() + ")",
                            java.util.Map.of("outcomes", views));
                }
                return new Wire.OutcomeList(views);
            }
            case "release": {
                byte[] body = body(request);
                WorkerId w = authenticateWorker(request, body);
                Wire.ReleaseForm form = parse(body, Wire.ReleaseForm.class);
                if (form.tickets() != null && form.tickets().size() > settings.maxBatch()) {
                    throw new InvalidRequestException("a release names " + form.tickets().size()
                            + " tickets; the limit is " + settings.maxBatch());
                }
                return Wire.ReleaseView.of(api.release(w, form.refs(), form.releaseReason()));
            }
            case "drain": {
                // The worker's own drain is leaving: registering again lifts it, unlike an admin's.
                WorkerId w = authenticateWorker(request, body(request));
                api.leave(w);
                return Wire.WorkerView.of(api.worker(w).orElseThrow());
            }
            default:
                throw new HttpError(404, "not-found", "no worker resource at /v1/workers/" + p[1]);
        }
    }

    private WorkerId authenticateWorker(Request request, byte[] body) {
        return callers.worker(request, body);
    }

    private void requireNotBanned(WorkerId worker) {
        callers.requireNotBanned(worker);
    }

    // ---------------------------------------------------------------- submitters

    private Object jobs(Request request, String method, String[] p) throws IOException {
        if ((p.length == 1 || (p.length == 2 && p[1].isEmpty())) && method.equals("GET")) {
            ApiKeys.Caller caller = authenticateKey(request, Scope.READ);
            Fields q = Request.extractQueryParameters(request);
            String state = q.getValue("state");
            JobState jobState;
            try {
                jobState = state == null ? null : JobState.valueOf(state.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("state must be one of " + java.util.Arrays.toString(JobState.values())
                        + ", was '" + state + "'");
            }
            String after = q.getValue("after");
            // Submitters list their own jobs; admins may name any submitter, or none for all.
            String submitter = caller.scopes().contains(Scope.ADMIN) ? q.getValue("submitter") : caller.name();
            JobQuery query = new JobQuery(submitter, jobState, q.getValue("type"),
                    after == null ? 0 : JobId.parse(after).value(), intParam(q, "limit", 100));
            List<Job> page = api.jobs(query);
            // A short page is the last (stores do not stop early), so only a full page has a next.
            return new Wire.JobPage(page.stream().map(Wire.JobView::of).toList(),
                    page.size() < query.limit() ? null : page.get(page.size() - 1).id().toString());
        }
        if (p.length == 1 || (p.length == 2 && p[1].isEmpty())) {
            requireMethod(method, "POST");
            ApiKeys.Caller caller = authenticateKey(request, Scope.SUBMIT);
            Wire.Submission form = read(request, Wire.Submission.class);
            if (form.jobs() == null || form.jobs().isEmpty()) {
                throw new InvalidRequestException("jobs must hold at least one job");
            }
            if (form.jobs().size() > settings.maxBatch()) {
                throw new InvalidRequestException("a submission holds " + form.jobs().size() + " jobs; the limit is "
                        + settings.maxBatch());
            }
            List<JobSpec> specs = new ArrayList<>(form.jobs().size());
            for (Wire.NewJob j : form.jobs()) {
                if (j == null) {
                    throw new InvalidRequestException("jobs must not contain null");
                }
                specs.add(j.toSpec(caller.name()));
            }
            return new Wire.JobList(api.submit(specs).stream().map(Wire.JobView::of).toList());
        }
        JobId id = JobId.parse(p[1]);
        if (p.length == 2) {
            requireMethod(method, "GET");
            ApiKeys.Caller caller = authenticateKey(request, Scope.READ);
            return Wire.JobView.of(visibleJob(caller, id));
        }
        if (p.length == 3 && p[2].equals("result")) {
            requireMethod(method, "GET");
            ApiKeys.Caller caller = authenticateKey(request, Scope.READ);
            Job job = visibleJob(caller, id);
            byte[] result = api.acceptedResult(id).orElseThrow(() -> new HttpError(404, "no-result",
                    "job " + id + " has no accepted result; it is " + job.state()));
            return new Wire.ResultView(id.toString(), job.acceptedDigest(), Wire.b64(result));
        }
        if (p.length == 3 && p[2].equals("cancel")) {
            requireMethod(method, "POST");
            ApiKeys.Caller caller = authenticateKey(request, Scope.SUBMIT);
            visibleJob(caller, id);
            return Wire.JobView.of(api.cancel(id));
        }
        throw new HttpError(404, "not-found", "no job resource at /v1/" + String.join("/", p));
    }

    /** Submitters see their own jobs; admins see all. Others' jobs look absent rather than forbidden. */
    private Job visibleJob(ApiKeys.Caller caller, JobId id) {
        Job job = api.job(id).orElseThrow(() -> new UnknownJobException("there is no job " + id));
        if (!caller.scopes().contains(Scope.ADMIN) && !job.spec().submitter().equals(caller.name())) {
            throw new UnknownJobException("there is no job " + id);
        }
        return job;
    }

    // ---------------------------------------------------------------- admins

    private Object admin(Request request, String method, String[] p) throws IOException {
        authenticateKey(request, Scope.ADMIN);
        if (p.length == 2 && p[1].equals("rejections")) {
            requireMethod(method, "GET");
            int limit = intParam(Request.extractQueryParameters(request), "limit", 100);
            return new Wire.RejectionList(api.rejections(limit).stream().map(Wire.RejectionView::of).toList());
        }
        if (p.length == 2 && p[1].equals("workers")) {
            requireMethod(method, "GET");
            Fields q = Request.extractQueryParameters(request);
            return new Wire.WorkerList(api.workers(intParam(q, "offset", 0), intParam(q, "limit", 100)).stream()
                    .map(Wire.WorkerView::of).toList());
        }
        if (p.length == 3 && p[1].equals("allowlist") && (p[2].equals("add") || p[2].equals("remove"))) {
            requireMethod(method, "POST");
            Wire.KeyForm form = read(request, Wire.KeyForm.class);
            java.security.PublicKey key = dev.muster.spi.Keys.publicKey(Wire.unb64(form.publicKey(), "publicKey"));
            boolean changed = p[2].equals("add") ? api.allow(key) : api.revoke(key);
            return java.util.Map.of("worker", WorkerId.of(key).value(), "changed", changed);
        }
        if (p.length >= 3 && p[1].equals("workers")) {
            WorkerId id = new WorkerId(p[2]);
            if (p.length == 3) {
                requireMethod(method, "GET");
                return Wire.WorkerView.of(api.worker(id).orElseThrow(() -> new HttpError(404, "unknown-worker",
                        "worker " + id + " is not registered")));
            }
            if (p.length == 4 && p[3].equals("drain")) {
                requireMethod(method, "POST");
                api.drain(id);
                return Wire.WorkerView.of(api.worker(id).orElseThrow());
            }
            if (p.length == 4 && p[3].equals("resume")) {
                requireMethod(method, "POST");
                return Wire.WorkerView.of(api.resume(id));
            }
            if (p.length == 4 && p[3].equals("ban")) {
                requireMethod(method, "POST");
                Wire.BanForm form = read(request, Wire.BanForm.class);
                api.ban(id, form.reason());
                return Wire.WorkerView.of(api.worker(id).orElseThrow());
            }
        }
        throw new HttpError(404, "not-found", "no admin resource at /v1/" + String.join("/", p));
    }

    private ApiKeys.Caller authenticateKey(Request request, Scope scope) {
        return callers.key(request, scope);
    }

    // ---------------------------------------------------------------- plumbing

    private static void requireMethod(String actual, String expected) {
        if (!actual.equals(expected)) {
            throw new HttpError(405, "method-not-allowed", "use " + expected + " here, not " + actual);
        }
    }

    private static int intParam(Fields query, String name, int fallback) {
        String v = query.getValue(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(name + " must be a whole number, was '" + v + "'");
        }
    }

    /** @return the request body, read by {@link BodyReader} before routing */
    private static byte[] body(Request request) {
        return (byte[]) request.getAttribute(BODY);
    }

    private <T> T read(Request request, Class<T> type) throws IOException {
        return parse(body(request), type);
    }

    private static <T> T parse(byte[] body, Class<T> type) throws IOException {
        if (body.length == 0) {
            throw new InvalidRequestException("request body is empty; a JSON object is expected");
        }
        T value = Json.MAPPER.readValue(body, type);
        if (value == null) {
            throw new InvalidRequestException("request body is null; a JSON object is expected");
        }
        return value;
    }

    private static void write(Response response, Callback callback, int status, String type, byte[] bytes) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    private static void problem(Response response, Callback callback, int status, String type, String detail,
                                String instance, java.util.Map<String, Object> extensions) {
        Problems.write(response, callback, status, type, detail, instance, extensions, false);
    }
}
