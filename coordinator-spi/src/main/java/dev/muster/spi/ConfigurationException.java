package dev.muster.spi;

/** A setting is missing, malformed or contradicts another; the message names the setting. */
public final class ConfigurationException extends MusterException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message names the setting and the accepted values
     */
    public ConfigurationException(String message) {
        super(ErrorCode.CONFIGURATION, message);
    }
}
