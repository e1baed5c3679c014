package dev.muster.spi.transport;

import dev.muster.spi.ConfigurationException;
import dev.muster.spi.CoordinatorApi;
import dev.muster.spi.Plugin;
import java.util.Map;

/** Creates a {@link Transport}; found with {@link java.util.ServiceLoader} by {@link #name()}, e.g. {@code http}. */
public interface TransportProvider extends Plugin {
    /**
     * @param api      the coordinator to serve
     * @param settings the transport's settings, without their {@code transport.} prefix
     * @throws ConfigurationException if a setting is missing or malformed
     */
    Transport create(CoordinatorApi api, Map<String, String> settings);
}
