package dev.muster.spi.transport;

import dev.muster.spi.Checks;
import dev.muster.spi.InvalidRequestException;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A read-only resource that transports serve beside the API, outside its version prefix, to
 * anyone who asks: a metrics exposition for Prometheus at {@code /metrics}, say. The embedder adds
 * it (through {@code Instrumentation.expositions()} of the core); it must hold nothing secret.
 *
 * @param path      one path segment: lower-case letters, digits, {@code .}, {@code _} and {@code -},
 *                  not {@code v1}
 * @param mediaType the media type of the body, such as {@code text/plain; version=0.0.4; charset=utf-8}
 * @param body      renders the body at each request; it must be quick and thread-safe
 */
public record Exposition(String path, String mediaType, Supplier<byte[]> body) {
    private static final Pattern SEGMENT = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    /**
     * Checks the resource.
     *
     * @param path      one segment of at most 64 characters, not {@code v1}
     * @param mediaType the media type of the body; not null
     * @param body      renders the body at each request; not null
     * @throws InvalidRequestException if a part is missing or the path is not one allowed segment
     */
    public Exposition {
        Checks.notNull(path, "path");
        Checks.notNull(mediaType, "mediaType");
        Checks.notNull(body, "body");
        if (!SEGMENT.matcher(path).matches() || path.equals("v1")) {
            throw new InvalidRequestException("exposition path must be one segment of lower-case letters, digits,"
                    + " '.', '_' or '-' (at most 64), not 'v1'; was '" + path + "'");
        }
    }
}
