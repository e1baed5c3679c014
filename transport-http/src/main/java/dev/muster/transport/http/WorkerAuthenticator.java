package dev.muster.transport.http;

import dev.muster.spi.RequestSigning;
import dev.muster.spi.CoordinatorApi;
import dev.muster.spi.ErrorCode;
import dev.muster.spi.InvalidRequestException;
import dev.muster.spi.UnknownWorkerException;
import dev.muster.spi.WorkerBannedException;
import dev.muster.spi.WorkerId;
import dev.muster.spi.WorkerState;
import java.time.InstantSource;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.slf4j.MDC;

/**
 * Which worker is calling: by a signature over the request or by a session token, with replay
 * protection, the per-worker rate limit and the ban list. Every refusal is an {@link HttpError}
 * (401 or 429) or a {@link WorkerBannedException}. Submitters and admins are
 * {@link KeyAuthenticator}'s.
 */
final class WorkerAuthenticator {
    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{8,64}");

    private final CoordinatorApi api;
    private final InstantSource clock;
    private final SessionTokens sessions;
    private final ReplayGuard replays;
    private final RateLimiter workerLimit;

    WorkerAuthenticator(CoordinatorApi api, InstantSource clock, SessionTokens sessions, ReplayGuard replays,
                        RateLimiter workerLimit) {
        this.api = api;
        this.clock = clock;
        this.sessions = sessions;
        this.replays = replays;
        this.workerLimit = workerLimit;
    }

    /**
     * Checks a signed worker request: known worker, valid signature over the exact request,
     * fresh timestamp, unused nonce. The nonce is recorded only once the signature holds, so
     * unsigned traffic cannot fill the replay cache.
     */
    WorkerId authenticate(Request request, byte[] body) {
        WorkerId worker = check(request, body);
        // For whatever the coordinator logs while it serves this request (cleared by the router).
        MDC.put("worker", worker.value());
        return worker;
    }

    private WorkerId check(Request request, byte[] body) {
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (auth != null && auth.startsWith(HttpTransport.SESSION_SCHEME)) {
            WorkerId worker = sessions.verify(auth.substring(HttpTransport.SESSION_SCHEME.length()).trim(), clock.millis());
            if (workerLimit != null) {
                workerLimit.check(worker.value(), "worker", clock.millis());
            }
            // A token outlives a ban; every worker route's coordinator call refuses a banned worker,
            // so no store read is spent on it here (login, which issues tokens, does check).
            return worker;
        }
        String id = request.getHeaders().get(RequestSigning.WORKER);
        String ts = request.getHeaders().get(RequestSigning.TIMESTAMP);
        String nonce = request.getHeaders().get(RequestSigning.NONCE);
        String sig = request.getHeaders().get(RequestSigning.SIGNATURE);
        if (id == null || ts == null || nonce == null || sig == null) {
            throw new HttpError(401, HttpProblem.UNAUTHENTICATED, "worker requests must carry the headers "
                    + RequestSigning.WORKER + ", " + RequestSigning.TIMESTAMP + ", " + RequestSigning.NONCE
                    + " and " + RequestSigning.SIGNATURE);
        }
        WorkerId worker;
        long timestamp;
        try {
            worker = new WorkerId(id);
            timestamp = Long.parseLong(ts);
        } catch (InvalidRequestException | NumberFormatException e) {
            throw new HttpError(401, HttpProblem.UNAUTHENTICATED, "malformed " + RequestSigning.WORKER + " or "
                    + RequestSigning.TIMESTAMP + " header");
        }
        if (!NONCE.matcher(nonce).matches()) {
            throw new HttpError(401, HttpProblem.UNAUTHENTICATED, RequestSigning.NONCE
                    + " must be 8 to 64 URL-safe base64 characters");
        }
        byte[] signature;
        try {
            signature = java.util.Base64.getDecoder().decode(sig);
        } catch (IllegalArgumentException e) {
            signature = null;
        }
        String target = request.getHttpURI().getPathQuery();
        byte[] signed = RequestSigning.signedBytes(request.getMethod(), target, worker.value(), timestamp, nonce, body);
        // An unknown worker is refused before a malformed signature, as when the key was looked up here.
        boolean verified = verifies(worker, signed, signature != null ? signature : new byte[0]);
        if (signature == null) {
            throw new HttpError(401, ErrorCode.BAD_SIGNATURE, RequestSigning.SIGNATURE + " is not base64");
        }
        if (!verified) {
            throw new HttpError(401, ErrorCode.BAD_SIGNATURE, "request signature does not verify against the key of worker "
                    + worker);
        }
        // Counted only once the signature holds, so others cannot spend a worker's budget.
        if (workerLimit != null) {
            workerLimit.check(worker.value(), "worker", clock.millis());
        }
        String stale = replays.check(worker.value(), timestamp, nonce, clock.millis());
        if (stale != null) {
            throw new HttpError(401, HttpProblem.REPLAYED_REQUEST, stale);
        }
        return worker;
    }

    /** @throws WorkerBannedException if the worker is banned */
    void requireNotBanned(WorkerId worker) {
        if (api.worker(worker).map(w -> w.state() == WorkerState.BANNED).orElse(false)) {
            throw new WorkerBannedException("worker " + worker + " is banned");
        }
    }

    /** Asks the coordinator, which keeps every worker's decoded key, to check the signature. */
    private boolean verifies(WorkerId worker, byte[] signed, byte[] signature) {
        try {
            return api.verifySignature(worker, signed, signature);
        } catch (UnknownWorkerException e) {
            // A type of its own, so that a worker registers again on this 401 and on no other.
            throw new HttpError(401, ErrorCode.UNKNOWN_WORKER, "worker " + worker + " is not registered");
        } catch (InvalidRequestException e) {
            throw new HttpError(401, HttpProblem.UNAUTHENTICATED, "worker " + worker + " has no usable Ed25519 key");
        }
    }

    /** @return whether {@code authorization} is a session token this transport issued and that is still valid */
    boolean hasSession(String authorization) {
        if (!authorization.startsWith(HttpTransport.SESSION_SCHEME)) {
            return false;
        }
        try {
            sessions.verify(authorization.substring(HttpTransport.SESSION_SCHEME.length()).trim(), clock.millis());
            return true;
        } catch (HttpError e) {
            return false;
        }
    }
}
