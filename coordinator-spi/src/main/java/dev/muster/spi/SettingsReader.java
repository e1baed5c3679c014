package dev.muster.spi;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads one plug-in's settings map the way the coordinator reads its own properties, so that every
 * provider takes the same syntax and refuses a bad setting with the same kind of message.
 *
 * <p>A reader is made for one prefix ({@code store.}, {@code trust.}, {@code transport.}, or none
 * for the coordinator's own properties) and the keys it knows; any other key is refused at once.
 * Every message names the full key, prefix included, and the value as it was given, e.g.
 * {@code transport.maxWait must be a duration from 0s to 2m, such as 30s or PT30S; was '5 minutes'}.
 * Durations take the syntax of {@link Durations}; numbers are decimal; booleans are {@code true} or
 * {@code false}. Values are trimmed. A missing key takes the caller's default, which is not checked.
 */
public final class SettingsReader {
    private final String prefix;
    private final Map<String, String> values;

    private SettingsReader(String prefix, Map<String, String> values) {
        this.prefix = prefix;
        this.values = values;
    }

    /**
     * Makes a reader over {@code settings}, refusing any key not in {@code known}.
     *
     * @param prefix   what stands before each key in the user's properties, e.g. {@code "store."};
     *                 empty for none
     * @param owner    what the settings configure, for the message about an unknown key, e.g.
     *                 {@code "jdbc store"}
     * @param settings the settings, keys without the prefix
     * @param known    every key the owner reads
     * @return the reader
     * @throws ConfigurationException naming the first unknown key (in sorted order) and the known ones
     */
    public static SettingsReader of(String prefix, String owner, Map<String, String> settings, Set<String> known) {
        for (String key : new TreeSet<>(settings.keySet())) {
            if (!known.contains(key)) {
                throw new ConfigurationException("unknown " + owner + " setting '" + prefix + key + "'; known: "
                        + new TreeSet<>(known));
            }
        }
        return new SettingsReader(prefix, settings);
    }

    /**
     * Returns the full name of a key, prefix included, for a message.
     *
     * @param key the key without the prefix
     * @return the prefix followed by the key
     */
    public String fullKey(String key) {
        return prefix + key;
    }

    /**
     * Returns whether a key is given.
     *
     * @param key the key without the prefix
     * @return true if the settings hold it
     */
    public boolean has(String key) {
        return values.containsKey(key);
    }

    /**
     * Returns a key's value as given, trimmed, or the fallback when it is absent.
     *
     * @param key      the key without the prefix
     * @param fallback what to return when absent; may be null
     * @return the trimmed value or the fallback
     */
    public String string(String key, String fallback) {
        String v = values.get(key);
        return v == null ? fallback : v.trim();
    }

    /**
     * Returns a key's value, trimmed, refusing it when absent or blank.
     *
     * @param key  the key without the prefix
     * @param hint what to add to the message, e.g. an example value; may be empty
     * @return the trimmed value
     * @throws ConfigurationException naming the full key when it is absent or blank
     */
    public String required(String key, String hint) {
        String v = string(key, null);
        if (v == null || v.isEmpty()) {
            throw new ConfigurationException(fullKey(key) + " is required" + (hint.isEmpty() ? "" : ", " + hint));
        }
        return v;
    }

    /**
     * Reads a whole number from {@code min} to {@code max}.
     *
     * @param key      the key without the prefix
     * @param fallback the value when the key is absent; not checked against the range
     * @param min      the smallest value accepted
     * @param max      the largest value accepted
     * @return the value given, or the fallback
     * @throws ConfigurationException naming the full key and the value when it is not such a number
     */
    public int integer(String key, int fallback, int min, int max) {
        return (int) longInteger(key, fallback, min, max);
    }

    /**
     * Reads a whole number from {@code min} to {@code max}, as a {@code long}.
     *
     * @param key      the key without the prefix
     * @param fallback the value when the key is absent; not checked against the range
     * @param min      the smallest value accepted
     * @param max      the largest value accepted
     * @return the value given, or the fallback
     * @throws ConfigurationException naming the full key and the value when it is not such a number
     */
    public long longInteger(String key, long fallback, long min, long max) {
        String v = string(key, null);
        if (v == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(key, "a whole number from " + min + " to " + max);
    }

    /**
     * Reads a whole number that fits an {@code int}, leaving its range to the caller.
     *
     * @param key      the key without the prefix
     * @param fallback the value when the key is absent
     * @return the value given, or the fallback
     * @throws ConfigurationException naming the full key and the value when it is not a whole number
     */
    public int integer(String key, int fallback) {
        String v = string(key, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw invalid(key, "a whole number");
        }
    }

    /**
     * Reads a whole number that fits a {@code long}, leaving its range to the caller.
     *
     * @param key      the key without the prefix
     * @param fallback the value when the key is absent
     * @return the value given, or the fallback
     * @throws ConfigurationException naming the full key and the value when it is not a whole number
     */
    public long longInteger(String key, long fallback) {
        String v = string(key, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw invalid(key, "a whole number");
        }
    }

    /**
     * Reads a decimal number, leaving its range to the caller.
     *
     * @param key      the key without the prefix
     * @param fallback the value when the key is absent
     * @return the value given, or the fallback
     * @throws ConfigurationException naming the full key and the value when it is not a number
     */
    public double decimal(String key, double fallback) {
        String v = string(key, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw invalid(key, "a number");
        }
    }

    /**
     * Reads a duration (see {@link Durations}), leaving its range to the caller.
     *
     * @param key      the key without the prefix
     * @param fallback the value when the key is absent; may be null
     * @return the duration given, or the fallback
     * @throws ConfigurationException naming the full key and the value when it is not a duration
     */
    public Duration duration(String key, Duration fallback) {
        String v = values.get(key);
        return v == null ? fallback : Durations.parse(fullKey(key), v);
    }

    /**
     * Reads a decimal number from {@code min} to {@code max}.
     *
     * @param key      the key without the prefix
     * @param fallback the value when the key is absent; not checked against the range
     * @param min      the smallest value accepted
     * @param max      the largest value accepted
     * @return the value given, or the fallback
     * @throws ConfigurationException naming the full key and the value when it is not such a number
     */
    public double decimal(String key, double fallback, double min, double max) {
        String v = string(key, null);
        if (v == null) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v);
            if (d >= min && d <= max) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(key, "a number from " + min + " to " + max);
    }

    /**
     * Reads {@code true} or {@code false}, in any case.
     *
     * @param key      the key without the prefix
     * @param fallback the value when the key is absent
     * @return the value given, or the fallback
     * @throws ConfigurationException naming the full key and the value when it is neither
     */
    public boolean bool(String key, boolean fallback) {
        String v = string(key, null);
        if (v == null) {
            return fallback;
        }
        switch (v.toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw invalid(key, "true or false");
        }
    }

    /**
     * Reads a duration (see {@link Durations}) from {@code min} to {@code max}.
     *
     * @param key      the key without the prefix
     * @param fallback the value when the key is absent; not checked against the range, may be null
     * @param min      the shortest duration accepted
     * @param max      the longest duration accepted
     * @return the duration given, or the fallback
     * @throws ConfigurationException naming the full key and the value when it is not such a duration
     */
    public Duration duration(String key, Duration fallback, Duration min, Duration max) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        Duration d = Durations.parse(fullKey(key), v);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw invalid(key, "a duration from " + Durations.format(min) + " to " + Durations.format(max)
                    + ", such as 30s, 10m or PT30S");
        }
        return d;
    }

    /**
     * Makes the exception for a value that is present but unacceptable.
     *
     * @param key  the key without the prefix
     * @param what what the value must be, e.g. {@code "a whole number from 1 to 100"}
     * @return an exception whose message names the full key, what it must be and the value given
     */
    public ConfigurationException invalid(String key, String what) {
        return new ConfigurationException(fullKey(key) + " must be " + what + "; was '" + values.get(key) + "'");
    }
}
