package dev.muster.spi;

/** There is no owner account of the name given. */
public final class UnknownOwnerException extends MusterException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which name
     */
    public UnknownOwnerException(String message) {
        super(ErrorCode.UNKNOWN_OWNER, message);
    }
}
