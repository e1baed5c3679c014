package dev.muster.core;

import dev.muster.spi.ConfigurationException;
import dev.muster.spi.Plugins;
import dev.muster.spi.Validator;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The validators a coordinator is built with, one per job type, from instances and names. */
final class Validators {
    private Validators() {}

    /**
     * @return the validators by job type: the instances given, then those loaded by name for types not yet handled
     * @throws ConfigurationException if two validators handle one type, or there is none
     */
    static Map<String, Validator> byType(List<Validator> instances, Collection<String> names, ClassLoader loader) {
        Map<String, Validator> byType = new LinkedHashMap<>();
        for (Validator v : instances) {
            add(byType, v);
        }
        for (String name : names) {
            if (!byType.containsKey(name)) {
                add(byType, Plugins.load(Validator.class, name, loader));
            }
        }
        if (byType.isEmpty()) {
            throw new ConfigurationException("no validators are set: every job type needs one, or its jobs are refused");
        }
        return byType;
    }

    private static void add(Map<String, Validator> byType, Validator v) {
        Validator previous = byType.putIfAbsent(v.jobType(), v);
        if (previous != null && previous != v) {
            throw new ConfigurationException("two validators handle job type '" + v.jobType() + "': "
                    + previous.getClass().getName() + " and " + v.getClass().getName());
        }
    }
}
