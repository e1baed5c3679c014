package dev.muster.transport.http;

import dev.muster.spi.ErrorCode;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The one Jackson configuration both the server and the worker client use, and how a body it
 * refuses is explained to the client.
 *
 * <p>Reading is strict: a key given twice, a field the shape does not have, {@code null} inside
 * an array or object of values, and any scalar of the wrong JSON type are refused rather than
 * coerced ({@code 1.5} or {@code "5"} for a whole number, a number or boolean for a string,
 * {@code 0} or {@code "true"} for a boolean, {@code ""} for a number).
 */
final class Json {
    private Json() {}

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .withCoercionConfig(LogicalType.Integer, c -> refuse(c, CoercionInputShape.Float, CoercionInputShape.String,
                    CoercionInputShape.Boolean, CoercionInputShape.EmptyString))
            .withCoercionConfig(LogicalType.Float, c -> refuse(c, CoercionInputShape.String,
                    CoercionInputShape.Boolean, CoercionInputShape.EmptyString))
            .withCoercionConfig(LogicalType.Boolean, c -> refuse(c, CoercionInputShape.Integer,
                    CoercionInputShape.Float, CoercionInputShape.String, CoercionInputShape.EmptyString))
            .withCoercionConfig(LogicalType.Textual, c -> refuse(c, CoercionInputShape.Integer,
                    CoercionInputShape.Float, CoercionInputShape.Boolean))
            .withCoercionConfig(LogicalType.Binary, c -> refuse(c, CoercionInputShape.Integer,
                    CoercionInputShape.Float, CoercionInputShape.Boolean))
            .withConfigOverride(List.class, o -> o.setSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL)))
            .withConfigOverride(Collection.class, o -> o.setSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL)))
            .withConfigOverride(Map.class, o -> o.setSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL)))
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL,
                    JsonInclude.Include.NON_NULL))
            .build();

    static {
        // Bodies are capped before parsing; this caps nesting and string sizes inside them too.
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(32).maxStringLength(8 << 20).maxNumberLength(64).build());
    }

    private static void refuse(com.fasterxml.jackson.databind.cfg.MutableCoercionConfig config,
                               CoercionInputShape... shapes) {
        for (CoercionInputShape shape : shapes) {
            config.setCoercion(shape, CoercionAction.Fail);
        }
    }

    /**
     * Explains why a body was refused, as a 400 that names the field (also as the {@code field}
     * extension member), in words of JSON rather than of the Java types behind it.
     */
    static HttpError refusal(JsonProcessingException e) {
        String field = e instanceof JsonMappingException m ? path(m) : null;
        if (e instanceof UnrecognizedPropertyException u) {
            String at = field == null ? u.getPropertyName() : field;
            return new HttpError(400, ErrorCode.INVALID_REQUEST, "unknown field '" + at + "'; known here: "
                    + u.getKnownPropertyIds(), Map.of("field", at));
        }
        if (e instanceof InvalidNullException) {
            return withField(400, ErrorCode.INVALID_REQUEST, (field == null ? "a value" : "'" + field + "'")
                    + " must not be null", field);
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StreamConstraintsException limit) {
                return withField(400, HttpProblem.MALFORMED_JSON, "request body is over a JSON limit: "
                        + limit.getOriginalMessage(), field);
            }
        }
        StreamReadException syntax = syntaxCause(e);
        if (syntax instanceof InputCoercionException coercion) {
            return withField(400, ErrorCode.INVALID_REQUEST, (field == null ? "a number" : "'" + field + "'")
                    + " is out of range for " + expected(coercion.getTargetType()), field);
        }
        if (syntax != null || endOfInput(e)) {
            String message = syntax != null ? syntax.getOriginalMessage() : e.getOriginalMessage();
            return withField(400, HttpProblem.MALFORMED_JSON, "request body is not valid JSON: " + message, field);
        }
        if (e instanceof MismatchedInputException mismatch) {
            String what = field == null ? "the request body" : "'" + field + "'";
            return withField(400, ErrorCode.INVALID_REQUEST, what + " has the wrong JSON type: expected "
                    + expected(mismatch.getTargetType()), field);
        }
        return withField(400, ErrorCode.INVALID_REQUEST, "request body does not match the expected shape"
                + (field == null ? "" : " at '" + field + "'"), field);
    }

    private static HttpError withField(int status, ErrorCode type, String detail, String field) {
        return new HttpError(status, type, detail, field == null ? null : Map.of("field", field));
    }

    private static HttpError withField(int status, HttpProblem type, String detail, String field) {
        return new HttpError(status, type, detail, field == null ? null : Map.of("field", field));
    }

    /** Databind wraps some syntax errors met while building a record; they are still malformed JSON. */
    private static StreamReadException syntaxCause(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StreamReadException s) {
                return s;
            }
        }
        return null;
    }

    private static boolean endOfInput(JsonProcessingException e) {
        return e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Unexpected end-of-input");
    }

    /** @return the JSON path of the failure, like {@code jobs[0].priority}, or null at the top */
    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class || type == byte[].class) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }
}
