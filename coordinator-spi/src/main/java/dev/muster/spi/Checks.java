package dev.muster.spi;

import java.util.Collection;
import java.util.Map;

/**
 * Argument checks shared by the domain values. Each failure is an {@link InvalidRequestException}
 * naming the field, because these values are built from untrusted input at the API edge. The
 * limits themselves are in {@link Limits}.
 */
public final class Checks {
    private Checks() {}

    /**
     * Requires a value.
     *
     * @param <T>   the value's type
     * @param value the value to check
     * @param field the field's name for the message, e.g. {@code "spec"}
     * @return {@code value}
     * @throws InvalidRequestException if {@code value} is null
     */
    public static <T> T notNull(T value, String field) {
        if (value == null) {
            throw new InvalidRequestException(field + " is required but was null");
        }
        return value;
    }

    /**
     * A non-blank string of at most {@code maxLength} characters without control characters or
     * unpaired surrogates (see {@link #printable}).
     *
     * @param value     the string to check
     * @param field     the field's name for the message
     * @param maxLength the most UTF-16 code units allowed
     * @return {@code value}
     * @throws InvalidRequestException if the string is null, blank, too long, has control
     *         characters or unpaired surrogates
     */
    public static String text(String value, String field, int maxLength) {
        notNull(value, field);
        if (value.isBlank()) {
            throw new InvalidRequestException(field + " must not be blank");
        }
        if (value.length() > maxLength) {
            throw new InvalidRequestException(
                    field + " is " + value.length() + " characters long; the limit is " + maxLength);
        }
        return printable(value, field);
    }

    /**
     * A non-blank string without control characters or unpaired surrogates, of any length (for
     * values whose length is checked later, such as result metadata). An unpaired surrogate is
     * not text: UTF-8 cannot encode it, and a database would store it as something else, so two
     * different keys could come back as one.
     *
     * @param value the string to check
     * @param field the field's name for the message
     * @return {@code value}
     * @throws InvalidRequestException if the string is null, blank, has control characters or
     *         unpaired surrogates
     */
    public static String printable(String value, String field) {
        notNull(value, field);
        if (value.isBlank()) {
            throw new InvalidRequestException(field + " must not be blank");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                throw new InvalidRequestException(field + " contains a control character at index " + i);
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidRequestException(field + " contains an unpaired surrogate at index " + i
                        + "; it is not valid Unicode text");
            }
        }
        return value;
    }

    /**
     * Like {@link #text} but null is allowed.
     *
     * @param value     the string to check, or null
     * @param field     the field's name for the message
     * @param maxLength the most UTF-16 code units allowed
     * @return {@code value}, possibly null
     * @throws InvalidRequestException if the string is not null and {@link #text} refuses it
     */
    public static String optionalText(String value, String field, int maxLength) {
        return value == null ? null : text(value, field, maxLength);
    }

    /**
     * Requires a number within a closed range.
     *
     * @param value the number to check
     * @param field the field's name for the message
     * @param min   the smallest value allowed
     * @param max   the largest value allowed
     * @return {@code value}
     * @throws InvalidRequestException if {@code value} is outside {@code [min, max]}
     */
    public static long range(long value, String field, long min, long max) {
        if (value < min || value > max) {
            throw new InvalidRequestException(field + " is " + value + "; it must be in [" + min + ", " + max + "]");
        }
        return value;
    }

    /**
     * Requires a collection of at most {@code max} entries, none of them null.
     *
     * @param <C>    the collection's type
     * @param values the collection to check
     * @param field  the field's name for the message
     * @param max    the most entries allowed
     * @return {@code values}, not copied
     * @throws InvalidRequestException if the collection is null, larger than {@code max} or holds a null
     */
    public static <C extends Collection<?>> C size(C values, String field, int max) {
        notNull(values, field);
        if (values.size() > max) {
            throw new InvalidRequestException(field + " has " + values.size() + " entries; the limit is " + max);
        }
        for (Object v : values) {
            if (v == null) {
                throw new InvalidRequestException(field + " contains null");
            }
        }
        return values;
    }

    /**
     * Requires a map of at most {@code max} entries, with no null key or value.
     *
     * @param <M>    the map's type
     * @param values the map to check
     * @param field  the field's name for the message
     * @param max    the most entries allowed
     * @return {@code values}, not copied
     * @throws InvalidRequestException if the map is null, larger than {@code max} or holds a null
     */
    public static <M extends Map<?, ?>> M size(M values, String field, int max) {
        notNull(values, field);
        if (values.size() > max) {
            throw new InvalidRequestException(field + " has " + values.size() + " entries; the limit is " + max);
        }
        for (Map.Entry<?, ?> e : values.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new InvalidRequestException(field + " contains null");
            }
        }
        return values;
    }
}
