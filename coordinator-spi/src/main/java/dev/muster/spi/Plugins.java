package dev.muster.spi;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds plug-ins with {@link ServiceLoader}. A provider that fails to load is reported by class
 * name (logged, and listed in the error when the wanted name is missing) and never silently
 * hides another provider.
 */
public final class Plugins {
    private static final System.Logger LOG = System.getLogger(Plugins.class.getName());

    private Plugins() {}

    /**
     * Returns the provider of {@code type} named {@code name} on {@code loader}.
     *
     * @param <P>    the kind of plug-in
     * @param type   the service interface, such as {@code StoreProvider.class}
     * @param name   the provider's {@link Plugin#name()}, as configured
     * @param loader where to look for providers
     * @return the provider of {@code type} named {@code name} on {@code loader}
     * @throws PluginException if none has that name, or two do
     */
    public static <P extends Plugin> P load(Class<P> type, String name, ClassLoader loader) {
        Checks.notNull(name, type.getSimpleName() + " name");
        Found<P> found = discover(type, loader);
        P match = found.byName.get(name);
        if (match == null) {
            throw new PluginException("no " + type.getSimpleName() + " named '" + name + "'; available: "
                    + found.byName.keySet() + (found.broken.isEmpty() ? "" : "; failed to load: " + found.broken));
        }
        return match;
    }

    /**
     * Like {@link #load(Class, String, ClassLoader)} with the class loader that loaded {@code type}.
     *
     * @param <P>  the kind of plug-in
     * @param type the service interface, such as {@code StoreProvider.class}
     * @param name the provider's {@link Plugin#name()}, as configured
     * @return the provider of {@code type} named {@code name}
     * @throws PluginException if none has that name, or two do
     */
    public static <P extends Plugin> P load(Class<P> type, String name) {
        return load(type, name, loaderOf(type));
    }

    /**
     * Returns every loadable provider of {@code type}, by name; failures are logged by class name.
     *
     * @param <P>    the kind of plug-in
     * @param type   the service interface, such as {@code StoreProvider.class}
     * @param loader where to look for providers
     * @return every loadable provider of {@code type}, by name; failures are logged by class name
     * @throws PluginException if two providers share a name
     */
    public static <P extends Plugin> Map<String, P> all(Class<P> type, ClassLoader loader) {
        return discover(type, loader).byName;
    }

    private static ClassLoader loaderOf(Class<?> type) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : type.getClassLoader();
    }

    private record Found<P>(Map<String, P> byName, List<String> broken) {}

    /** The provider's own failure says more than the ServiceConfigurationError wrapped around it. */
    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.toString();
    }

    private static <P extends Plugin> Found<P> discover(Class<P> type, ClassLoader loader) {
        Map<String, P> byName = new LinkedHashMap<>();
        List<String> broken = new ArrayList<>();
        Iterator<ServiceLoader.Provider<P>> it = ServiceLoader.load(type, loader).stream().iterator();
        while (true) {
            ServiceLoader.Provider<P> provider;
            try {
                if (!it.hasNext()) {
                    break;
                }
                provider = it.next();
            } catch (ServiceConfigurationError e) {
                // The lazy iterator continues past a provider it could not even load.
                broken.add(String.valueOf(e.getMessage()));
                LOG.log(System.Logger.Level.WARNING, "skipping " + type.getSimpleName() + " provider: " + e.getMessage(), e);
                continue;
            }
            String className = provider.type().getName();
            P instance;
            try {
                instance = provider.get();
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                broken.add(className + " (" + rootCause(e) + ")");
                LOG.log(System.Logger.Level.WARNING, "skipping " + type.getSimpleName() + " provider " + className, e);
                continue;
            }
            P previous = byName.putIfAbsent(instance.name(), instance);
            if (previous != null && previous.getClass() != instance.getClass()) {
                throw new PluginException("two " + type.getSimpleName() + " providers are named '" + instance.name()
                        + "': " + previous.getClass().getName() + " and " + className);
            }
        }
        return new Found<>(byName, broken);
    }
}
