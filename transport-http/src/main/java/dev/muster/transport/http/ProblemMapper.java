package dev.muster.transport.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.muster.spi.MusterException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a failure of a routed request answers: one mapping for a route that throws and for a long
 * poll whose answer fails later, so both give the same status, type and detail for the same
 * failure. A coordinator exception keeps its code as the problem type; a client's bad input is a
 * 4xx; anything else is a fault of the server: a 500 without detail, logged with its stack trace.
 * Requests Jetty refuses before routing are answered by {@link ProblemErrorHandler} instead.
 */
final class ProblemMapper {
    private static final Logger LOG = LoggerFactory.getLogger(ProblemMapper.class);

    /** A problem to answer with; {@code extensions} may be null. */
    record Problem(int status, String type, String detail, Map<String, Object> extensions) {}

    private ProblemMapper() {}

    /** Answers the request with the problem {@code error} maps to. */
    static void send(Response response, Callback callback, Throwable error, String method, String path) {
        send(response, callback, error, method, path, false);
    }

    /** @param close whether to close the connection after the answer, for a request whose body is left unread */
    static void send(Response response, Callback callback, Throwable error, String method, String path,
                     boolean close) {
        Problem p = map(error, method, path);
        Problems.write(response, callback, p.status(), p.type(), p.detail(), path, p.extensions(), close);
    }

    static Problem map(Throwable error, String method, String path) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (e instanceof HttpError h) {
            return new Problem(h.status, h.type, h.getMessage(), h.extensions);
        }
        if (e instanceof MusterException m) {
            return new Problem(status(m), m.code(), m.getMessage(), null);
        }
        if (e instanceof JsonProcessingException json) {
            HttpError refused = Json.refusal(json);
            return new Problem(refused.status, refused.type, refused.getMessage(), refused.extensions);
        }
        if (e instanceof HttpException http && http.getCode() >= 400 && http.getCode() < 500) {
            // Jetty refused part of the request as it was read, e.g. a badly encoded query string.
            return new Problem(400, HttpProblem.BAD_REQUEST.type(), "the request is malformed: " + http.getReason(),
                    null);
        }
        LOG.error("HTTP {} {} failed", method, path, e);
        return new Problem(500, HttpProblem.INTERNAL.type(), "the server failed to handle the request; it is logged",
                null);
    }

    /** The status each failure kind answers with; no default, so a new kind must be placed here to compile. */
    static int status(MusterException e) {
        return switch (e.error()) {
            case INVALID_REQUEST, UNKNOWN_JOB_TYPE -> 400;
            case BAD_SIGNATURE -> 401;
            case REGISTRATION_REFUSED, WORKER_BANNED -> 403;
            case UNKNOWN_JOB, UNKNOWN_WORKER, UNKNOWN_OWNER -> 404;
            case IDEMPOTENCY_CONFLICT, NOT_LEASED, OWNER_EXISTS -> 409;
            case RESULT_REJECTED -> 422;
            case NOT_RUNNING, STORE_UNAVAILABLE -> 503;
            // A store whose outcome is unknown, and what a coordinator cannot raise while serving.
            case STORE_FAILED, PLUGIN, CONFIGURATION, TRANSPORT, UNREACHABLE, INTERRUPTED, BAD_RESPONSE, BAD_PAYLOAD,
                 REFUSED
                    -> 500;
        };
    }
}
