package dev.muster.transport.http.internal;

import dev.muster.spi.CoordinatorApi;
import dev.muster.spi.transport.Transport;
import dev.muster.spi.transport.TransportProvider;
import dev.muster.transport.http.HttpSettings;
import dev.muster.transport.http.HttpTransport;
import java.time.InstantSource;
import java.util.Map;

/** Creates an {@link HttpTransport} by the name {@code http}; settings are described in {@link HttpSettings}. */
public final class HttpTransportProvider implements TransportProvider {
    @Override
    public String name() {
        return "http";
    }

    @Override
    public Transport create(CoordinatorApi api, Map<String, String> settings) {
        return new HttpTransport(api, HttpSettings.from(settings), InstantSource.system());
    }

    @Override
    public void check(Map<String, String> settings) {
        HttpSettings.from(settings);
    }
}
