package dev.muster.core.metrics;

import dev.muster.spi.CoordinatorEvent;
import dev.muster.spi.EventListener;
import dev.muster.spi.Job;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import java.util.Objects;

/**
 * Reports every decided job (accepted, failed, cancelled or retracted) to a Micrometer
 * {@link ObservationRegistry} as an observation named {@code muster.job.decided}, with the job type and the
 * outcome as low-cardinality values and the job id as a high-cardinality one. The observation is
 * a receiving one whose carrier is the job: a tracing handler (Micrometer Tracing's, bridged to
 * OpenTelemetry or Brave) reads the job's {@code traceparent} from it, so that in the submitter's
 * trace the job's decision appears under the span that submitted it. The observation is made when
 * the job is decided and lasts no time: the work between submission and decision happened on
 * workers, which continue the trace themselves from their tickets' {@code traceparent}.
 *
 * <pre>{@code
 * Coordinator c = Coordinator.builder().listener(new JobObservations(observationRegistry))...build();
 * }</pre>
 *
 * <p>Micrometer's Observation API is an optional dependency of the core: without it on the class
 * path, do not load this class.
 */
public final class JobObservations implements EventListener {
    /** The name of the observations. */
    public static final String NAME = "muster.job.decided";
    /** The carrier key a tracing handler asks for: W3C Trace Context's header name. */
    public static final String TRACEPARENT = "traceparent";

    private final ObservationRegistry registry;

    /** @param registry where the observations go */
    public JobObservations(ObservationRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void onEvent(CoordinatorEvent event) {
        if (event instanceof CoordinatorEvent.JobAccepted e) {
            observe(e.job(), "accepted");
        } else if (event instanceof CoordinatorEvent.JobFailed e) {
            observe(e.job(), "failed");
        } else if (event instanceof CoordinatorEvent.JobCancelled e) {
            observe(e.job(), "cancelled");
        } else if (event instanceof CoordinatorEvent.JobRetracted e) {
            observe(e.job(), "retracted");
        }
    }

    private void observe(Job job, String outcome) {
        Observation.createNotStarted(NAME, () -> {
            ReceiverContext<Job> context = new ReceiverContext<>(
                    (carrier, key) -> TRACEPARENT.equals(key) ? carrier.spec().traceparent() : null);
            context.setCarrier(job);
            context.setRemoteServiceName("muster");
            return context;
        }, registry)
                .contextualName("muster job " + job.spec().type() + " " + outcome)
                .lowCardinalityKeyValue("job.type", job.spec().type())
                .lowCardinalityKeyValue("outcome", outcome)
                .highCardinalityKeyValue("job.id", job.id().toString())
                .start().stop();
    }
}
