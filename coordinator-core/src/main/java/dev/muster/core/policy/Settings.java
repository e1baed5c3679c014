package dev.muster.core.policy;

import dev.muster.spi.ConfigurationException;
import java.util.Map;
import java.util.Set;

/** Reads policy settings with messages that name the full setting. */
final class Settings {
    private Settings() {}

    static void onlyKnown(Map<String, String> settings, String policy, Set<String> known) {
        for (String key : settings.keySet()) {
            if (!known.contains(key)) {
                throw new ConfigurationException("unknown " + policy + " setting 'trust." + key + "'; known: "
                        + known);
            }
        }
    }

    static int integer(Map<String, String> settings, String key, int fallback, int min, int max) {
        String value = settings.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigurationException("trust." + key + " must be a whole number in [" + min + ", " + max
                + "], was '" + value + "'");
    }

    static boolean bool(Map<String, String> settings, String key, boolean fallback) {
        String value = settings.get(key);
        if (value == null) {
            return fallback;
        }
        switch (value.trim().toLowerCase()) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw new ConfigurationException("trust." + key + " must be true or false, was '" + value + "'");
        }
    }
}
