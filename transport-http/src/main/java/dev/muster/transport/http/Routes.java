package dev.muster.transport.http;

import java.io.IOException;
import org.eclipse.jetty.server.Request;

/**
 * The routes of one resource group under {@code /v1/} (public, workers, jobs, admin). A group
 * answers with the value to send as JSON, a {@link java.util.concurrent.CompletableFuture} of one
 * for a long poll, a {@link Raw} body, or a {@link Created} resource; it throws for every failure.
 */
@FunctionalInterface
interface Routes {
    /**
     * @param path the path after {@code /v1/}, split at every {@code /}; {@code path[0]} names the group
     */
    Object handle(Request request, String method, String[] path) throws IOException;

    /** A body sent as it is, with its media type, rather than as JSON. */
    record Raw(String mediaType, byte[] bytes) {}

    /** A resource the request created, sent as JSON with status 201. */
    record Created(Object value) {}

    /** An answer with status 204 and no body. */
    Object NO_CONTENT = new Object() {
        @Override
        public String toString() {
            return "204 No Content";
        }
    };

    static HttpError notFound(String what, String[] path) {
        return new HttpError(404, HttpProblem.NOT_FOUND, "no " + what + " at /v1/" + String.join("/", path));
    }
}
