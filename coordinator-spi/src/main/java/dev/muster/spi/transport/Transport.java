package dev.muster.spi.transport;

import java.net.URI;

/**
 * Puts a {@link dev.muster.spi.CoordinatorApi} on a wire. The coordinator starts its transports
 * after it starts itself and closes them before it stops, so a transport never serves a
 * coordinator that is not running.
 */
public interface Transport extends AutoCloseable {
    /**
     * Starts serving.
     *
     * @throws dev.muster.spi.MusterException if it cannot (the port is taken, the keystore is unreadable...)
     */
    void start();

    /**
     * Returns where clients reach it, once started.
     *
     * @return where clients reach it, once started
     */
    URI address();

    /** Stops serving and releases its resources. Idempotent. */
    @Override
    void close();
}
