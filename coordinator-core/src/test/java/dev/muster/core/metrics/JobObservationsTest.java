package dev.muster.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.muster.core.Coordinator;
import dev.muster.core.EchoValidator;
import dev.muster.core.policy.QuorumPolicy;
import dev.muster.spi.Job;
import dev.muster.spi.JobSpec;
import dev.muster.spi.Registration;
import dev.muster.spi.Ticket;
import dev.muster.spi.WorkerId;
import dev.muster.spi.policy.Decision;
import dev.muster.spi.policy.StoredResult;
import dev.muster.spi.policy.TrustPolicy;
import dev.muster.spi.testkit.SigningWorker;
import dev.muster.store.memory.MemoryStore;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Trace context from submission to the worker's ticket and on to observations of the decision. */
class JobObservationsTest {
    private static final String TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    /** What a tracing handler does with a receiving observation: read the carrier's traceparent. */
    private static final class TraceReader implements ObservationHandler<ReceiverContext<Object>> {
        final List<String> seen = new ArrayList<>();

        @Override
        public void onStart(ReceiverContext<Object> context) {
            seen.add(context.getName() + " " + context.getLowCardinalityKeyValue("outcome").getValue() + " "
                    + context.getGetter().get(context.getCarrier(), JobObservations.TRACEPARENT));
        }

        @Override
        @SuppressWarnings("unchecked")
        public boolean supportsContext(Observation.Context context) {
            return context instanceof ReceiverContext;
        }
    }

    private static Coordinator pool(TrustPolicy policy, ObservationRegistry observations) {
        Coordinator c = Coordinator.builder().store(new MemoryStore()).trustPolicy(policy).validator(new EchoValidator())
                .listener(new JobObservations(observations)).housekeepingInterval(Duration.ZERO).build();
        c.start();
        return c;
    }

    @Test
    void theSubmittersTrace_reachesTheTicket_andTheObservationOfTheDecision() {
        ObservationRegistry observations = ObservationRegistry.create();
        TraceReader reader = new TraceReader();
        observations.observationConfig().observationHandler(reader);
        try (Coordinator c = pool(new QuorumPolicy(1, 1, 1, false), observations)) {
            c.submit(List.of(JobSpec.builder("echo", new byte[] {1}).traceparent(TRACE).build(),
                    JobSpec.builder("echo", new byte[] {2}).build()));
            SigningWorker w = SigningWorker.registered(c, "alice");
            List<Ticket> tickets = w.lease(2).tickets();
            assertEquals(TRACE, tickets.get(0).traceparent());
            assertNull(tickets.get(1).traceparent());
            SigningWorker.honestAnswers(tickets).forEach(w::report);
            assertEquals(List.of(JobObservations.NAME + " accepted " + TRACE, JobObservations.NAME + " accepted null"),
                    reader.seen);
        }
    }

    @Test
    void wherePoolsHideSpotChecks_workersGetNoTraceContext() {
        TrustPolicy quorum = new QuorumPolicy(1, 1, 1, false);
        TrustPolicy checking = new TrustPolicy() {
            @Override public String name() { return "checking"; }
            @Override public void admit(Registration registration, WorkerId id) {}
            @Override public int initialReplicas(JobSpec spec) { return 1; }
            @Override public boolean distinctOwners() { return false; }
            @Override public Decision decide(Job job, List<StoredResult> results) { return quorum.decide(job, results); }
            @Override public double spotCheckRate() { return 0.05; }
        };
        try (Coordinator c = pool(checking, ObservationRegistry.NOOP)) {
            Job job = c.submit(List.of(JobSpec.builder("echo", new byte[] {1}).traceparent(TRACE).build())).get(0);
            assertNull(SigningWorker.registered(c, "alice").lease(1).tickets().get(0).traceparent(),
                    "a trace a spot-check shared with its source would give the check away");
            assertEquals(TRACE, c.job(job.id()).orElseThrow().spec().traceparent(), "the job keeps it for listeners");
        }
    }
}
