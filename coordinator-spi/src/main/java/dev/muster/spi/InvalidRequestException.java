package dev.muster.spi;

/** A request is malformed: a field is missing, out of range or over a size limit. Nothing changed. */
public class InvalidRequestException extends MusterException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message names the field and the limit it broke
     */
    public InvalidRequestException(String message) {
        super(ErrorCode.INVALID_REQUEST, message);
    }

    /**
     * For subclasses with a more specific code.
     *
     * @param error   the more specific failure kind
     * @param message names the field and the limit it broke
     */
    protected InvalidRequestException(ErrorCode error, String message) {
        super(error, message);
    }
}
