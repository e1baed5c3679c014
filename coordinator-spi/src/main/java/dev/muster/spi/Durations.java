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

    /**
     * Writes a duration the way a setting would give it: {@code 250ms}, {@code 30s}, {@code 2m},
     * {@code 1h} or {@code 30d} when it is a whole number of the unit, ISO-8601 otherwise.
     *
     * @param d the duration
     * @return its shortest text in the settings syntax
     */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        // Durations past about 292 million years have no millisecond count; they come from
        // clients asking for absurd values and are written as given.
        if (Math.abs(d.getSeconds()) >= Long.MAX_VALUE / 1_000 - 1) {
            return d.toString();
        }
        long ms = d.toMillis();
        if (!d.equals(Duration.ofMillis(ms))) {
            return d.toString();
        }
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (ms % sizes[i] == 0) {
                return ms / sizes[i] + units[i];
            }
        }
        return ms + "ms";
    }
}
