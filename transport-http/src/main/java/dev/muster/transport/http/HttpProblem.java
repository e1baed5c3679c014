package dev.muster.transport.http;

/**
 * The problem types the HTTP transport answers with of its own, for what it refuses before or
 * beside the coordinator (authentication, limits, routing, the body); the coordinator's failures
 * answer with their {@link dev.muster.spi.ErrorCode}. The types are part of the wire protocol and
 * listed in the OpenAPI file.
 */
enum HttpProblem {
    BAD_REQUEST("bad-request"),
    MALFORMED_JSON("malformed-json"),
    MALFORMED_BODY("malformed-body"),
    INCOMPLETE_BODY("incomplete-body"),
    UNAUTHENTICATED("unauthenticated"),
    BAD_SESSION("bad-session"),
    SESSION_EXPIRED("session-expired"),
    REPLAYED_REQUEST("replayed-request"),
    FORBIDDEN("forbidden"),
    NOT_FOUND("not-found"),
    NO_RESULT("no-result"),
    METHOD_NOT_ALLOWED("method-not-allowed"),
    REQUEST_TIMEOUT("request-timeout"),
    BODY_TIMEOUT("body-timeout"),
    TOO_LARGE("too-large"),
    URI_TOO_LONG("uri-too-long"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type"),
    UPGRADE_REQUIRED("upgrade-required"),
    RATE_LIMITED("rate-limited"),
    HEADERS_TOO_LARGE("headers-too-large"),
    TOO_MANY_PENDING_BODIES("too-many-pending-bodies"),
    INTERNAL("internal"),
    UNAVAILABLE("unavailable"),
    NOT_READY("not-ready");

    private final String type;

    HttpProblem(String type) {
        this.type = type;
    }

    /** @return the problem type as it appears after {@code /problems/} */
    String type() {
        return type;
    }
}
