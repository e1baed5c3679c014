package dev.muster.spi;

/** A worker may not join: its key is not allowlisted, it is banned, or its client build is not allowed. */
public final class RegistrationRefusedException extends MusterException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message why the worker was refused
     */
    public RegistrationRefusedException(String message) {
        super(ErrorCode.REGISTRATION_REFUSED, message);
    }
}
