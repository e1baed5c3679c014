package dev.muster.transport.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.muster.spi.MusterException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * RFC 9457 problem details as they are written: the body, the title of each status, the headers.
 * Types are relative URIs ({@code /problems/bad-signature}) named after
 * {@link MusterException#code()}, so clients can branch on them; {@code detail} is the exception's
 * message, never a stack trace. Which failure is which problem is {@link ProblemMapper}'s.
 */
final class Problems {
    static final String MEDIA_TYPE = "application/problem+json";

    private Problems() {}

    static Map<String, Object> body(int status, String type, String title, String detail, String instance) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", "/problems/" + type);
        p.put("title", title);
        p.put("status", status);
        p.put("detail", detail);
        p.put("instance", instance);
        return p;
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 408 -> "Request timeout";
            case 409 -> "Conflict";
            case 413 -> "Content too large";
            case 414 -> "URI too long";
            case 415 -> "Unsupported media type";
            case 417 -> "Expectation failed";
            case 422 -> "Unprocessable content";
            case 429 -> "Too many requests";
            case 431 -> "Request header fields too large";
            case 503 -> "Service unavailable";
            default -> status >= 400 && status < 500 ? "Client error" : "Internal server error";
        };
    }

    /**
     * Answers with a problem. A {@code retryAfter} extension also becomes the {@code Retry-After}
     * header; {@code close} asks the server to close the connection after the answer, for a
     * request whose body is left unread.
     */
    static void write(Response response, Callback callback, int status, String type, String detail, String instance,
                      Map<String, Object> extensions, boolean close) {
        byte[] bytes;
        try {
            Map<String, Object> body = body(status, type, title(status), detail, instance);
            if (extensions != null) {
                body.putAll(extensions);
            }
            bytes = Json.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            callback.failed(e);
            return;
        }
        response.setStatus(status);
        if (extensions != null && extensions.get("retryAfter") != null) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, String.valueOf(extensions.get("retryAfter")));
        }
        if (close) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, MEDIA_TYPE);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }
}
