package dev.muster.spi;

/**
 * Checks W3C Trace Context {@code traceparent} values, which a submitter may give a job so that
 * the job's work joins the submitter's trace: the value travels with the job to the worker (on its
 * ticket) and to the listeners (on the job), unchanged. Muster only carries it; continuing the
 * trace is for the submitter's, the worker's and the listeners' tracers.
 *
 * <p>A value is {@code version-traceid-parentid-flags} in lowercase hex (2, 32, 16 and 2 digits),
 * with a version other than {@code ff} and neither id all zeros, as the recommendation says.
 */
public final class Traceparent {
    /** The length of a {@code traceparent} value. */
    public static final int LENGTH = 55;

    private Traceparent() {}

    /**
     * Returns whether it is a valid {@code traceparent}.
     *
     * @param value a header value
     * @return whether it is a valid {@code traceparent}
     */
    public static boolean isValid(String value) {
        // Checked on every ticket a lease hands out, so by hand rather than with a pattern.
        if (value == null || value.length() != LENGTH || value.startsWith("ff")) {
            return false;
        }
        boolean traceIdZero = true;
        boolean parentIdZero = true;
        for (int i = 0; i < LENGTH; i++) {
            char c = value.charAt(i);
            if (i == 2 || i == 35 || i == 52) {
                if (c != '-') {
                    return false;
                }
            } else if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            } else if (c != '0' && i > 2 && i < 35) {
                traceIdZero = false;
            } else if (c != '0' && i > 35 && i < 52) {
                parentIdZero = false;
            }
        }
        return !traceIdZero && !parentIdZero;
    }

    /**
     * Returns the value.
     *
     * @param value a {@code traceparent} value, or null for none
     * @return the value
     * @throws InvalidRequestException if it is not a valid {@code traceparent}
     */
    public static String check(String value) {
        if (value == null) {
            return null;
        }
        if (!isValid(value)) {
            // The value is not echoed: it may hold anything, control characters included.
            throw new InvalidRequestException("traceparent must be a W3C trace context value such as"
                    + " 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01 (lowercase hex, ids not all zeros);"
                    + " the value given (" + value.length() + " characters) is not");
        }
        return value;
    }
}
