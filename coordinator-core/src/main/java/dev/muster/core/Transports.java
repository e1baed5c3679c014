package dev.muster.core;

import dev.muster.spi.CoordinatorApi;
import dev.muster.spi.Plugins;
import dev.muster.spi.transport.Transport;
import dev.muster.spi.transport.TransportProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The transports a coordinator serves through: created and started with it, closed with it. */
final class Transports {
    private static final Logger LOG = LoggerFactory.getLogger(Transports.class);

    private final List<TransportProvider> providers;
    private final List<Map<String, String>> settings;
    private final List<Transport> running = new ArrayList<>();

    /** @param settings each provider's settings, in the same order */
    Transports(List<TransportProvider> providers, List<Map<String, String>> settings) {
        this.providers = List.copyOf(providers);
        this.settings = List.copyOf(settings);
    }

    /**
     * Loads each named transport's provider and has it check its settings, before anything opens,
     * so that a bad transport setting leaves no store open behind it.
     *
     * @return the providers, in the order named
     */
    static List<TransportProvider> checked(Map<String, Map<String, String>> named, ClassLoader loader) {
        List<TransportProvider> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> t : named.entrySet()) {
            TransportProvider provider = Plugins.load(TransportProvider.class, t.getKey(), loader);
            provider.check(t.getValue());
            out.add(provider);
        }
        return out;
    }

    /** Creates and starts each transport in order; a failure leaves those already started for {@link #close()}. */
    void start(CoordinatorApi api) {
        for (int i = 0; i < providers.size(); i++) {
            Transport t = providers.get(i).create(api, settings.get(i));
            running.add(t);
            t.start();
            LOG.info("{} transport listening on {}", providers.get(i).name(), t.address());
        }
    }

    List<Transport> running() {
        return List.copyOf(running);
    }

    /** Closes every transport; one that fails to close is logged and the others still close. */
    void close() {
        for (Transport t : running) {
            try {
                t.close();
            } catch (RuntimeException e) {
                LOG.warn("transport {} failed to close", t.address(), e);
            }
        }
    }
}
