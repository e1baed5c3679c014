package dev.muster.transport.http;

/** A request failed for an HTTP reason (auth, size, route); becomes a problem response. */
final class HttpError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int status;
    final String type;
    /** Extension members of the problem body (RFC 9457 section 3.2), or null. */
    final java.util.Map<String, Object> extensions;

    HttpError(int status, String type, String detail) {
        this(status, type, detail, null);
    }

    HttpError(int status, String type, String detail, java.util.Map<String, Object> extensions) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.extensions = extensions;
    }
}
