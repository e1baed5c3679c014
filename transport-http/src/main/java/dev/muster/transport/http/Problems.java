package dev.muster.transport.http;

import dev.muster.spi.MusterException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RFC 9457 problem details: the status and type each failure maps to. Types are relative URIs
 * ({@code /problems/bad-signature}) named after {@link MusterException#code()}, so clients can
 * branch on them; {@code detail} is the exception's message, never a stack trace.
 */
final class Problems {
    static final String MEDIA_TYPE = "application/problem+json";

    private Problems() {}

    static int status(MusterException e) {
        return switch (e.code()) {
            case "invalid-request", "unknown-job-type" -> 400;
            case "bad-signature" -> 401;
            case "registration-refused", "worker-banned" -> 403;
            case "unknown-job", "unknown-worker" -> 404;
            case "idempotency-conflict", "not-leased" -> 409;
            case "result-rejected" -> 422;
            case "not-running", "store-unavailable" -> 503;
            default -> 500;
        };
    }

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
            case 409 -> "Conflict";
            case 413 -> "Content too large";
            case 415 -> "Unsupported media type";
            case 422 -> "Unprocessable content";
            case 429 -> "Too many requests";
            case 503 -> "Service unavailable";
            default -> "Internal server error";
        };
    }
}
