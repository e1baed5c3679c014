package dev.muster.transport.http;

import static dev.muster.transport.http.Exchange.intParam;
import static dev.muster.transport.http.Exchange.read;
import static dev.muster.transport.http.Exchange.requireMethod;

import dev.muster.spi.CoordinatorApi;
import dev.muster.spi.ErrorCode;
import dev.muster.spi.InvalidRequestException;
import dev.muster.spi.LeaderboardScope;
import dev.muster.spi.Readiness;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Locale;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/**
 * Routes anyone may call: {@code /v1/health}, {@code /v1/health/ready}, {@code /v1/pool},
 * {@code /v1/leaderboard}, the key that signs ticket batches ({@code /v1/coordinator/key}, for
 * workers to pin), open sign-up for owner accounts ({@code POST /v1/owners}), owners' public
 * profiles ({@code GET /v1/owners?name=}) and the API's own
 * description, {@code /v1/openapi.yaml}.
 */
final class PublicRoutes implements Routes {
    private final CoordinatorApi api;
    private final HourlyQuota signUps;
    private final InstantSource clock;

    PublicRoutes(CoordinatorApi api, HourlyQuota signUps, InstantSource clock) {
        this.api = api;
        this.signUps = signUps;
        this.clock = clock;
    }

    @Override
    public Object handle(Request request, String method, String[] p) throws IOException {
        switch (p[0]) {
            case "openapi.yaml":
                if (p.length != 1) {
                    throw Routes.notFound("resource", p);
                }
                requireMethod(method, "GET");
                return new Raw("application/yaml", openApi());
            case "health":
                return health(method, p);
            case "pool":
                requireMethod(method, "GET");
                return Wire.summary(api.summary());
            case "coordinator":
                if (p.length != 2 || !p[1].equals("key")) {
                    throw Routes.notFound("coordinator resource", p);
                }
                requireMethod(method, "GET");
                return Wire.TicketKeyView.of(api.ticketSigningKey().orElse(null));
            case "leaderboard":
                requireMethod(method, "GET");
                return leaderboard(Request.extractQueryParameters(request));
            case "owners":
                if (p.length != 1) {
                    throw Routes.notFound("owners resource", p);
                }
                if (method.equals("GET")) {
                    return profile(Request.extractQueryParameters(request).getValue("name"));
                }
                requireMethod(method, "POST");
                return signUp(request);
            default:
                throw Routes.notFound("resource", p);
        }
    }

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
                throw new HttpError(503, HttpProblem.NOT_READY, readiness.reason());
            }
            return new Wire.Health("UP");
        }
        throw Routes.notFound("health resource", p);
    }

    /**
     * Open sign-up: a new owner account for whoever asks, where the pool allows it, a few per
     * client address and hour. The name is read first, so a malformed request spends no quota.
     */
    private Object signUp(Request request) throws IOException {
        Wire.OwnerForm form = read(request, Wire.OwnerForm.class);
        signUps.take(Request.getRemoteAddr(request), "sign-ups", clock.millis());
        return new Routes.Created(Wire.OwnerCreated.of(api.signUp(form.name())));
    }

    /** An owner's public profile; the name is a query parameter, so that any owner name can be asked for. */
    private Object profile(String name) {
        if (name == null) {
            throw new InvalidRequestException("name is required: GET /v1/owners?name=<owner>");
        }
        return StatusViews.ProfileView.of(api.ownerProfile(name).orElseThrow(() -> new HttpError(404,
                ErrorCode.UNKNOWN_OWNER, "no owner '" + name + "' has workers, credit or an account")));
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

    private static byte[] openApi() throws IOException {
        try (InputStream in = PublicRoutes.class.getResourceAsStream("openapi.yaml")) {
            if (in == null) {
                throw new IOException("openapi.yaml is missing from the transport's jar");
            }
            return in.readAllBytes();
        }
    }
}
