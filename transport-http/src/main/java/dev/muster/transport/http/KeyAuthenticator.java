package dev.muster.transport.http;

import dev.muster.transport.http.ApiKeys.Scope;
import java.util.Locale;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * Which submitter or admin is calling, by the API key in {@code Authorization: Bearer ...}, and
 * whether its key has the scope a route needs. A refusal is an {@link HttpError} (401 or 403).
 */
final class KeyAuthenticator {
    private static final String BEARER = "Bearer ";

    private final ApiKeys apiKeys;

    KeyAuthenticator(ApiKeys apiKeys) {
        this.apiKeys = apiKeys;
    }

    /** @return the caller an API key names, if it has {@code scope} (or admin) */
    ApiKeys.Caller require(Request request, Scope scope) {
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (auth == null || !auth.startsWith(BEARER)) {
            throw new HttpError(401, HttpProblem.UNAUTHENTICATED, "this endpoint needs an API key: Authorization: Bearer <key>");
        }
        ApiKeys.Caller caller = apiKeys.lookup(auth.substring(BEARER.length()).trim());
        if (caller == null) {
            throw new HttpError(401, HttpProblem.UNAUTHENTICATED, "the API key is not known");
        }
        if (!caller.scopes().contains(scope) && !caller.scopes().contains(Scope.ADMIN)) {
            throw new HttpError(403, HttpProblem.FORBIDDEN, "the API key of '" + caller.name() + "' lacks the "
                    + scope.name().toLowerCase(Locale.ROOT) + " scope");
        }
        return caller;
    }

    /** @return whether {@code authorization} carries a known API key, whatever its scopes */
    boolean knows(String authorization) {
        return authorization.startsWith(BEARER) && apiKeys.lookup(authorization.substring(BEARER.length()).trim()) != null;
    }
}
