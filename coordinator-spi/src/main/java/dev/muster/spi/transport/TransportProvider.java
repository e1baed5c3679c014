package dev.muster.spi.transport;

import dev.muster.spi.ConfigurationException;
import dev.muster.spi.CoordinatorApi;
import dev.muster.spi.Plugin;
import java.util.Map;

/** Creates a {@link Transport}; found with {@link java.util.ServiceLoader} by {@link #name()}, e.g. {@code http}. */
public interface TransportProvider extends Plugin {
    /**
     * Returns the transport, not yet started.
     *
     * @param api      the coordinator to serve
     * @param settings the transport's settings, without their {@code transport.} prefix
     * @return the transport, not yet started
     * @throws ConfigurationException if a setting is missing or malformed
     */
    Transport create(CoordinatorApi api, Map<String, String> settings);

    /**
     * Checks the transport's settings without creating it, so that a bad setting fails when the
     * coordinator is built rather than when it starts. The default accepts any; a provider that
     * reads settings should read them here as {@link #create} does.
     *
     * @param settings the transport's settings, without their {@code transport.} prefix
     * @throws ConfigurationException if a setting is unknown, missing or malformed
     */
    default void check(Map<String, String> settings) {
    }
}
