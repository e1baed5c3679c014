package dev.muster.transport.http;

import dev.muster.spi.ErrorCode;
import java.util.Map;

/** A request failed for an HTTP reason (auth, size, route); becomes a problem response. */
final class HttpError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int status;
    final String type;
    /** Extension members of the problem body (RFC 9457 section 3.2), or null. */
    final Map<String, Object> extensions;

    /** A refusal of the transport's own. */
    HttpError(int status, HttpProblem type, String detail) {
        this(status, type.type(), detail, null);
    }

    /** A refusal of the transport's own, with extension members. */
    HttpError(int status, HttpProblem type, String detail, Map<String, Object> extensions) {
        this(status, type.type(), detail, extensions);
    }

    /** A refusal the transport finds itself but that answers as a coordinator failure of this kind would. */
    HttpError(int status, ErrorCode type, String detail) {
        this(status, type.code(), detail, null);
    }

    /** The same, with extension members. */
    HttpError(int status, ErrorCode type, String detail, Map<String, Object> extensions) {
        this(status, type.code(), detail, extensions);
    }

    /**
     * A refusal by its type's text. Main code names its type by {@link HttpProblem} or
     * {@link ErrorCode} instead; this stays for tests that build a problem by its wire form.
     */
    HttpError(int status, String type, String detail, Map<String, Object> extensions) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.extensions = extensions;
    }
}
