package dev.muster.spi;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Parses the durations Muster's settings take, so the coordinator and every plugin read them
 * the same way.
 *
 * <p>A duration is ISO-8601 ({@code PT30S}, {@code P1D}) or a whole number with a unit:
 * {@code ms}, {@code s}, {@code m}, {@code h} or {@code d} ({@code 500ms}, {@code 30s},
 * {@code 10m}, {@code 24h}, {@code 30d}). Bounds are the caller's to check.
 */
public final class Durations {
    private Durations() {
    }

    /**
     * Parses one setting's value as a duration.
     *
     * @param key   the setting's full name, for the message, e.g. {@code store.connectionTimeout}
     * @param value what was given
     * @return the duration
     * @throws ConfigurationException naming {@code key} and {@code value} when it is not a duration
     */
    public static Duration parse(String key, String value) {
        if (value != null) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            try {
                if (v.startsWith("p")) {
                    return Duration.parse(v.toUpperCase(Locale.ROOT));
                }
                if (v.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
                }
                if (!v.isEmpty()) {
                    long n = Long.parseLong(v.substring(0, v.length() - 1));
                    switch (v.charAt(v.length() - 1)) {
                        case 's':
                            return Duration.ofSeconds(n);
                        case 'm':
                            return Duration.ofMinutes(n);
                        case 'h':
                            return Duration.ofHours(n);
                        case 'd':
                            return Duration.ofDays(n);
                        default:
                            break;
                    }
                }
            } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
                // reported below
            }
        }
        throw new ConfigurationException(key + " must be a duration such as 500ms, 30s, 10m, 24h, 30d or PT30S; was '"
                + value + "'");
    }
}
