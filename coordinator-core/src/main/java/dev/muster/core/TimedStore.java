package dev.muster.core;

import dev.muster.spi.store.Store;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Times every call of a store for an {@link Instrumentation}, by method name. A proxy rather than a
 * hand-written decorator so that a method added to the store SPI is timed without a change here;
 * with {@link Instrumentation#NONE} the store is used as it is, at no cost.
 */
final class TimedStore implements InvocationHandler {
    private final Store store;
    private final Instrumentation instrumentation;

    private TimedStore(Store store, Instrumentation instrumentation) {
        this.store = store;
        this.instrumentation = instrumentation;
    }

    /** @return {@code store}, timed unless {@code instrumentation} records nothing */
    static Store wrap(Store store, Instrumentation instrumentation) {
        if (instrumentation == Instrumentation.NONE) {
            return store;
        }
        return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
                new TimedStore(store, instrumentation));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "timed " + store;
            };
        }
        long start = System.nanoTime();
        boolean failed = true;
        try {
            Object result = method.invoke(store, args);
            failed = false;
            return result;
        } catch (InvocationTargetException e) {
            throw e.getCause();
        } finally {
            instrumentation.storeCalled(method.getName(), System.nanoTime() - start, failed);
        }
    }
}
