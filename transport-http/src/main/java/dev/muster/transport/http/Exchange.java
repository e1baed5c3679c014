package dev.muster.transport.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.muster.spi.InvalidRequestException;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * What every route does with a request and its answer: check the method, read the body (already
 * read by {@link BodyReader}) as a JSON form, read a whole-number query parameter, and write a
 * successful answer. Failures are thrown, for {@link ProblemMapper} to answer.
 */
final class Exchange {
    /** Request attribute that holds the body {@link BodyReader} read before routing. */
    static final String BODY = "dev.muster.transport.http.body";

    private Exchange() {}

    static void requireMethod(String actual, String expected) {
        if (!actual.equals(expected)) {
            throw new HttpError(405, HttpProblem.METHOD_NOT_ALLOWED, "use " + expected + " here, not " + actual);
        }
    }

    static int intParam(Fields query, String name, int fallback) {
        String v = query.getValue(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(name + " must be a whole number, was '" + v + "'");
        }
    }

    /** @return the request body, read by {@link BodyReader} before routing */
    static byte[] body(Request request) {
        return (byte[]) request.getAttribute(BODY);
    }

    /** @return the request body as a JSON object of {@code type} */
    static <T> T read(Request request, Class<T> type) throws IOException {
        return parse(body(request), type);
    }

    static <T> T parse(byte[] body, Class<T> type) throws IOException {
        if (body.length == 0) {
            throw new InvalidRequestException("request body is empty; a JSON object is expected");
        }
        T value = Json.MAPPER.readValue(body, type);
        if (value == null) {
            throw new InvalidRequestException("request body is null; a JSON object is expected");
        }
        return value;
    }

    /** Answers 200 with {@code value} as JSON. */
    static void writeJson(Response response, Callback callback, Object value) throws JsonProcessingException {
        write(response, callback, 200, "application/json", Json.MAPPER.writeValueAsBytes(value));
    }

    static void write(Response response, Callback callback, int status, String type, byte[] bytes) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }
}
