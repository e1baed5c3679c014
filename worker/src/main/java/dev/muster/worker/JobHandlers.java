package dev.muster.worker;

import dev.muster.spi.ConfigurationException;
import dev.muster.spi.JobHandler;
import dev.muster.spi.ResultReport;
import dev.muster.spi.Ticket;
import java.util.Iterator;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The job handlers a worker runs, by job type, found with {@link ServiceLoader}: a jar that holds a
 * {@link JobHandler} and names it in {@code META-INF/services/dev.muster.spi.JobHandler} adds its
 * job type to any worker whose class path it is on. As a handler itself, it runs each ticket
 * with the handler of the ticket's type; for a ticket of a type it has no handler for it throws
 * {@link NoHandler}, which a {@link WorkerLoop} answers by giving the ticket back unrun.
 */
public final class JobHandlers implements JobHandler {
    private final Map<String, JobHandler> byType;

    /** A ticket of a job type this worker has no handler for: not the job's fault, so it costs no attempt. */
    public static final class NoHandler extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** @param message names the type and the types there are handlers for */
        public NoHandler(String message) {
            super(message);
        }
    }

    private JobHandlers(Map<String, JobHandler> byType) {
        this.byType = Map.copyOf(byType);
    }

    /**
     * Finds the handlers on a class path.
     *
     * @param loader where to look
     * @return the handlers, possibly none
     * @throws ConfigurationException if a handler cannot be loaded, names no job type, or two name the same
     */
    public static JobHandlers load(ClassLoader loader) {
        Map<String, JobHandler> found = new TreeMap<>();
        Iterator<ServiceLoader.Provider<JobHandler>> it = ServiceLoader.load(JobHandler.class, loader).stream()
                .iterator();
        while (true) {
            ServiceLoader.Provider<JobHandler> provider;
            JobHandler handler;
            try {
                if (!it.hasNext()) {
                    break;
                }
                provider = it.next();
                handler = provider.get();
            } catch (ServiceConfigurationError e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                throw new ConfigurationException("a job handler could not be loaded: " + cause.getMessage());
            }
            String type = handler.jobType();
            if (type == null || type.isBlank()) {
                throw new ConfigurationException("job handler " + provider.type().getName()
                        + " is registered as a service but names no job type (JobHandler.jobType)");
            }
            JobHandler earlier = found.putIfAbsent(type, handler);
            if (earlier != null) {
                throw new ConfigurationException("job type '" + type + "' has two handlers: "
                        + earlier.getClass().getName() + " and " + provider.type().getName());
            }
        }
        return new JobHandlers(found);
    }

    /** @return the handlers on this class's class path */
    public static JobHandlers load() {
        return load(JobHandlers.class.getClassLoader());
    }

    /** @return the job types there is a handler for, in alphabetical order */
    public java.util.Set<String> types() {
        return new java.util.TreeSet<>(byType.keySet());
    }

    @Override
    public ResultReport run(Ticket ticket) {
        JobHandler handler = byType.get(ticket.type());
        if (handler == null) {
            throw new NoHandler("this worker has no handler for job type '" + ticket.type() + "'; it runs " + types());
        }
        return handler.run(ticket);
    }
}
