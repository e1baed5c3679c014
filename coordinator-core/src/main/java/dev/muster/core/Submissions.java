package dev.muster.core;

import dev.muster.spi.Checks;
import dev.muster.spi.InvalidRequestException;
import dev.muster.spi.Job;
import dev.muster.spi.JobId;
import dev.muster.spi.JobProgress;
import dev.muster.spi.JobSpec;
import dev.muster.spi.UnknownJobException;
import dev.muster.spi.UnknownJobTypeException;
import dev.muster.spi.Limits;
import dev.muster.spi.Validator;
import dev.muster.spi.policy.StoredResult;
import dev.muster.spi.policy.TrustPolicy;
import dev.muster.spi.store.NewJob;
import dev.muster.spi.store.Store;
import dev.muster.spi.store.Submitted;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The submitter's side: jobs in (a type some validator handles, a payload within the limit, as
 * many replicas as the trust policy starts with), cancels, and the accepted result out.
 */
final class Submissions {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Submissions.class);
    /** Submitter names for the coordinator's own work, such as {@link dev.muster.spi.store.SpotCheck#SUBMITTER}. */
    static final String RESERVED_PREFIX = "muster:";

    private final CoordinatorSettings settings;
    private final Store store;
    private final TrustPolicy policy;
    private final Map<String, Validator> validators;
    private final Events events;

    Submissions(CoordinatorSettings settings, Store store, TrustPolicy policy, Map<String, Validator> validators,
                Events events) {
        this.settings = settings;
        this.store = store;
        this.policy = policy;
        this.validators = validators;
        this.events = events;
    }

    /**
     * A validator that throws refuses the payload. Its own refusal ({@link InvalidRequestException})
     * says why; anything else is a fault of the validator, logged for the operator with its stack,
     * and the submitter is told only that the check failed, not what the validator's insides said.
     */
    private static String checkPayload(Validator validator, JobSpec spec) {
        try {
            return validator.checkPayload(spec);
        } catch (InvalidRequestException e) {
            return e.getMessage();
        } catch (RuntimeException e) {
            LOG.warn("the {} validator failed while checking a payload", spec.type(), e);
            return "the validator could not check it (" + e.getClass().getSimpleName() + ")";
        }
    }

    List<Job> submit(List<JobSpec> specs, Instant now) {
        Checks.notNull(specs, "jobs");
        Checks.range(specs.size(), "jobs in one submission", 1, settings.maxSubmitBatch());
        List<NewJob> batch = new ArrayList<>(specs.size());
        for (int i = 0; i < specs.size(); i++) {
            JobSpec spec = Checks.notNull(specs.get(i), "jobs[" + i + "]");
            Validator validator = validators.get(spec.type());
            if (validator == null) {
                throw new UnknownJobTypeException("jobs[" + i + "] has type '" + spec.type()
                        + "', which no validator handles; known types: " + validators.keySet());
            }
            if (spec.submitter() != null && spec.submitter().startsWith(RESERVED_PREFIX)) {
                throw new InvalidRequestException("jobs[" + i + "] names submitter '" + spec.submitter()
                        + "'; names starting with '" + RESERVED_PREFIX + "' are reserved for the coordinator's own work");
            }
            if (spec.payloadSize() > settings.maxPayloadBytes()) {
                throw new InvalidRequestException("jobs[" + i + "] payload is " + spec.payloadSize()
                        + " bytes; the limit is " + settings.maxPayloadBytes());
            }
            String refused = checkPayload(validator, spec);
            if (refused != null) {
                throw new InvalidRequestException("jobs[" + i + "] payload is refused by the " + spec.type()
                        + " validator: " + Limits.REJECTION_DETAIL.fit(refused) + "; nothing was submitted");
            }
            String payloadDigest = spec.payloadDigest();
            batch.add(new NewJob(spec, spec.contentDigest(payloadDigest), payloadDigest, policy.initialReplicas(spec),
                    now));
        }
        List<Submitted> stored = store.submit(batch);
        List<Job> out = new ArrayList<>(stored.size());
        Map<String, Integer> created = new HashMap<>(2);
        for (Submitted s : stored) {
            out.add(s.job());
            if (s.created()) {
                created.merge(s.job().spec().type(), 1, Integer::sum);
            }
        }
        created.forEach(settings.instrumentation()::submitted);
        events.workArrived();
        return out;
    }

    /** @return the job's progress from its results as stored, or empty if there is no such job */
    Optional<JobProgress> progress(JobId id) {
        Checks.notNull(id, "job id");
        Optional<Job> job = store.job(id);
        if (job.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Integer> byDigest = new HashMap<>();
        int reported = 0;
        for (StoredResult r : store.results(id)) {
            if (r.valid()) {
                reported++;
                byDigest.merge(r.resultDigest(), 1, Integer::sum);
            }
        }
        int agreeing = byDigest.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        int wanted = job.get().replicasWanted();
        // A finished job waits for nothing more, whatever it once wanted.
        int outstanding = job.get().state().isFinal() ? 0 : Math.max(0, wanted - reported);
        return Optional.of(new JobProgress(wanted, reported, agreeing, outstanding));
    }

    Job cancel(JobId id, Instant now) {
        Checks.notNull(id, "job id");
        Job before = store.job(id).orElseThrow(() -> new UnknownJobException("there is no job " + id));
        Job after = store.cancel(id, now, "cancelled").orElseThrow(() -> new UnknownJobException("there is no job " + id));
        events.cancelled(before, after, now);
        return after;
    }

    Optional<byte[]> acceptedResult(JobId id) {
        Checks.notNull(id, "job id");
        Optional<Job> job = store.job(id);
        if (job.isEmpty() || job.get().acceptedDigest() == null) {
            return Optional.empty();
        }
        String digest = job.get().acceptedDigest();
        return store.results(id).stream().filter(r -> r.valid() && r.resultDigest().equals(digest)).findFirst()
                .map(r -> r.result().clone());
    }
}
