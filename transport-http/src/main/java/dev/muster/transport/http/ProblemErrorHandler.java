package dev.muster.transport.http;

import java.io.IOException;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the requests Jetty refuses before the API sees them (a malformed request line or
 * header, headers or URI too large, an ambiguous or badly encoded path, bad chunking...) with an
 * RFC 9457 problem instead of Jetty's HTML page. Jetty's reason is kept when it is a short phrase
 * of its own; an exception's text, which may name classes, never is.
 *
 * <p>Statuses Jetty gives for requests it cannot parse in a version or coding it does not
 * support (501, 505) are answered 400, since they are the client's doing; any other 5xx is a
 * fault of the server, answered without detail and logged on one line.
 */
final class ProblemErrorHandler implements Request.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(ProblemErrorHandler.class);
    /** A reason Jetty wrote itself: a short phrase, not an exception's message. */
    private static final Pattern PLAIN_REASON = Pattern.compile("[A-Za-z0-9 ,;:'()=_/.-]{1,120}");

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        Throwable cause = (Throwable) request.getAttribute(ErrorHandler.ERROR_EXCEPTION);
        String reason = (String) request.getAttribute(ErrorHandler.ERROR_MESSAGE);
        if (cause instanceof HttpException http) {
            status = http.getCode();
            reason = http.getReason();
        }
        if (status == 501 || status == 505) {
            status = 400;
        }
        if (status >= 500 && cause instanceof IOException) {
            // The connection failed under the request, most often a client that went away mid-request:
            // its doing, not a fault here, and no one may be left to read the answer.
            LOG.debug("HTTP {} ended early: {}", request.getMethod(), cause.toString());
            status = 400;
            reason = "the request ended early";
        }
        if (status < 400 || status >= 600) {
            status = 500;
        }
        String path = null;
        try {
            path = request.getHttpURI().getPath();
        } catch (RuntimeException e) {
            // a URI Jetty could not decode has no path to name
        }
        if (path != null && (!PLAIN_REASON.matcher(path).matches() || path.equals("/badMessage"))) {
            // Jetty names a request it could not parse /badMessage; the client sent no such path.
            path = null;
        }
        HttpProblem type;
        String detail;
        if (status >= 500) {
            LOG.warn("HTTP {} {} failed: {}", request.getMethod(), path, cause == null ? reason : cause.toString());
            type = status == 503 ? HttpProblem.UNAVAILABLE : HttpProblem.INTERNAL;
            detail = status == 503 ? "the server cannot take this request now; retry later"
                    : "the server failed to handle the request; it is logged";
        } else {
            type = switch (status) {
                case 404 -> HttpProblem.NOT_FOUND;
                case 405 -> HttpProblem.METHOD_NOT_ALLOWED;
                case 408 -> HttpProblem.REQUEST_TIMEOUT;
                case 413 -> HttpProblem.TOO_LARGE;
                case 414 -> HttpProblem.URI_TOO_LONG;
                case 415 -> HttpProblem.UNSUPPORTED_MEDIA_TYPE;
                case 426 -> HttpProblem.UPGRADE_REQUIRED;
                case 431 -> HttpProblem.HEADERS_TOO_LARGE;
                default -> HttpProblem.BAD_REQUEST;
            };
            String known = reason != null && PLAIN_REASON.matcher(reason).matches() ? reason : Problems.title(status);
            detail = "the server cannot process this request: " + known;
            LOG.debug("HTTP refused a request with {}: {}", status, known);
        }
        Problems.write(response, callback, status, type.type(), detail, path, null, true);
        return true;
    }
}
