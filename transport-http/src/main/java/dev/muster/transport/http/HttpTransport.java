package dev.muster.transport.http;

import dev.muster.spi.RequestSigning;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.muster.spi.CoordinatorApi;
import dev.muster.spi.ErrorCode;
import dev.muster.spi.MusterException;
import dev.muster.spi.transport.Exposition;
import dev.muster.spi.transport.Transport;
import java.io.IOException;
import java.net.URI;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

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
 *
 * <p>This class owns the server's life and the order every request goes through: the per-address
 * rate limit, the body read (see {@link BodyReader}), then the route group named by the first path
 * segment ({@link PublicRoutes}, {@link WorkerRoutes}, {@link JobRoutes}, {@link AdminRoutes}),
 * with {@link Exchange} for reading and writing and {@link ProblemMapper} for every failure. The
 * groups are found in a table, in the manner of Jetty's {@code PathMappingsHandler}, but not with
 * it: that handler matches before the body is read, wraps the request in a new context, and leaves
 * a path it does not map to Jetty's error page, while each route here needs its body first and
 * every unknown path gets a not-found problem that names it.
 */
public final class HttpTransport implements Transport {
    private static final Logger LOG = LoggerFactory.getLogger(HttpTransport.class);
    /** One line per request when {@code transport.accessLog} is on. */
    private static final Logger ACCESS = LoggerFactory.getLogger("dev.muster.transport.http.access");
    /** Authorization scheme of worker session tokens. */
    static final String SESSION_SCHEME = RequestSigning.SESSION_SCHEME;

    private final CoordinatorApi api;
    private final HttpSettings settings;
    private final InstantSource clock;
    private final RateLimiter addressLimit;
    private final WorkerAuthenticator workers;
    private final KeyAuthenticator keys;
    private final BodyReader bodies;
    private final ClientAddress clients;
    private final Pages pages = new Pages();
    /** The route group of each first path segment under {@code /v1/}. */
    private final Map<String, Routes> groups;
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
        this.clients = new ClientAddress(settings.trustedProxies());
        byte[] secret = new byte[32];
        new java.security.SecureRandom().nextBytes(secret);
        SessionTokens sessions = new SessionTokens(secret, settings.sessionTtl());
        this.keys = new KeyAuthenticator(new ApiKeys(settings.apiKeys()));
        this.workers = new WorkerAuthenticator(api, clock, sessions, new ReplayGuard(settings.replayWindow(), 1_000_000),
                settings.ratePerWorker() > 0 ? new RateLimiter(settings.ratePerWorker()) : null);
        this.bodies = new BodyReader(settings.maxBodyBytes(), settings.bodyTimeout(), settings.maxPendingBodies(),
                settings.maxPendingBodiesPerAddress(), settings.maxPendingBodyBytes());
        PublicRoutes publicRoutes = new PublicRoutes(api, new HourlyQuota(settings.signUpsPerAddressPerHour(),
                settings.signUpsPerHour()), clock);
        this.groups = Map.of("health", publicRoutes, "pool", publicRoutes, "leaderboard", publicRoutes,
                "openapi.yaml", publicRoutes, "coordinator", publicRoutes, "owners", publicRoutes,
                "workers", new WorkerRoutes(api, clock, sessions, workers),
                "jobs", new JobRoutes(api, keys),
                "admin", new AdminRoutes(api, keys));
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
        // On stop, connectors stop accepting and requests in flight get the grace period to finish.
        server.setHandler(new GracefulHandler(new Router()));
        server.setStopTimeout(settings.gracePeriod().toMillis());
        try {
            server.start();
        } catch (Exception e) {
            close();
            throw new MusterException(ErrorCode.TRANSPORT, "HTTP transport cannot listen on " + settings.host() + ":"
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
        public boolean handle(Request received, Response response, Callback done) {
            Request request = clients.resolve(received);
            String path = Request.getPathInContext(request);
            Callback callback = settings.accessLog() ? logged(request, path, response, done) : done;
            if (addressLimit != null) {
                try {
                    addressLimit.check(Request.getRemoteAddr(request), "address", clock.millis());
                } catch (HttpError e) {
                    ProblemMapper.send(response, callback, e, request.getMethod(), path);
                    return true;
                }
            }
            bodies.read(request, !authenticatedByHeader(request), body -> {
                request.setAttribute(Exchange.BODY, body);
                respond(request, response, callback, path);
            }, (e, close) -> ProblemMapper.send(response, callback, e, request.getMethod(), path, close));
            return true;
        }
    }

    /** @return {@code callback}, logging the request's client, method, path, status and time when it completes */
    private static Callback logged(Request request, String path, Response response, Callback callback) {
        long start = System.nanoTime();
        return new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                log(null);
                super.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                log(x);
                super.failed(x);
            }

            private void log(Throwable x) {
                ACCESS.info("{} \"{} {}\" {} {} ms{}", Request.getRemoteAddr(request), request.getMethod(), path,
                        response.getStatus(), (System.nanoTime() - start) / 1_000_000,
                        x == null ? "" : " (failed: " + x.getClass().getSimpleName() + ")");
            }
        };
    }

    /** Whether the request carries a valid API key or session token, checked from its headers alone. */
    private boolean authenticatedByHeader(Request request) {
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        return auth != null && (keys.knows(auth) || workers.hasSession(auth));
    }

    private void respond(Request request, Response response, Callback callback, String path) {
        String method = request.getMethod();
        MDC.put("client", Request.getRemoteAddr(request));
        try {
            answer(request, response, callback, path, method);
        } finally {
            // Routes add the worker or job they serve; this thread serves someone else next.
            MDC.remove("client");
            MDC.remove("worker");
            MDC.remove("job");
        }
    }

    private void answer(Request request, Response response, Callback callback, String path, String method) {
        try {
            Object answer = route(request, method, path);
            if (answer instanceof CompletableFuture<?> pending) {
                // A long poll: answer when it completes, without holding a server thread meanwhile.
                pending.whenComplete((value, error) -> {
                    if (error != null) {
                        ProblemMapper.send(response, callback, error, method, path);
                        return;
                    }
                    try {
                        Exchange.writeJson(response, callback, value);
                    } catch (JsonProcessingException e) {
                        callback.failed(e);
                    }
                });
            } else if (answer instanceof Pages.Page page) {
                response.getHeaders().put("Content-Security-Policy", Pages.POLICY);
                response.getHeaders().put("X-Content-Type-Options", "nosniff");
                response.getHeaders().put("Cache-Control", "no-cache");
                Exchange.write(response, callback, 200, page.mediaType(), page.bytes());
            } else if (answer instanceof Routes.Raw raw) {
                Exchange.write(response, callback, 200, raw.mediaType(), raw.bytes());
            } else if (answer == Routes.NO_CONTENT) {
                response.setStatus(204);
                response.write(true, java.nio.ByteBuffer.allocate(0), callback);
            } else if (answer instanceof Routes.Created created) {
                Exchange.write(response, callback, 201, "application/json", Json.MAPPER.writeValueAsBytes(created.value()));
            } else {
                Exchange.writeJson(response, callback, answer);
            }
        } catch (RuntimeException | IOException e) {
            ProblemMapper.send(response, callback, e, method, path);
        }
    }

    /** Answers with a page, or the embedder's resource at this path outside the API, such as {@code /metrics}. */
    private Object outsideApi(String method, String path) {
        Pages.Page page = pages.at(path);
        if (page != null) {
            Exchange.requireMethod(method, "GET");
            return page;
        }
        for (Exposition e : api.expositions()) {
            if (path.length() == e.path().length() + 1 && path.endsWith(e.path())) {
                Exchange.requireMethod(method, "GET");
                return new Routes.Raw(e.mediaType(), e.body().get());
            }
        }
        throw new HttpError(404, HttpProblem.NOT_FOUND, "no resource at " + path + "; the API is under /v1/");
    }

    /** Finds the group of the path's first segment under {@code /v1/} and lets it answer. */
    private Object route(Request request, String method, String path) throws IOException {
        if (!path.startsWith("/v1/")) {
            return outsideApi(method, path);
        }
        String[] p = path.substring(4).split("/", -1);
        Routes group = groups.get(p[0]);
        if (group == null) {
            throw new HttpError(404, HttpProblem.NOT_FOUND, "no resource at " + path);
        }
        return group.handle(request, method, p);
    }
}
