package dev.muster.transport.http;

import static dev.muster.transport.http.Exchange.intParam;
import static dev.muster.transport.http.Exchange.read;
import static dev.muster.transport.http.Exchange.requireMethod;

import dev.muster.spi.CoordinatorApi;
import dev.muster.spi.InvalidRequestException;
import dev.muster.spi.Traceparent;
import dev.muster.spi.Job;
import dev.muster.spi.JobId;
import dev.muster.spi.JobQuery;
import dev.muster.spi.JobSpec;
import dev.muster.spi.JobState;
import dev.muster.spi.UnknownJobException;
import dev.muster.transport.http.ApiKeys.Scope;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;
import org.slf4j.MDC;

/**
 * Routes of submitters, with an API key: {@code GET} and {@code POST /v1/jobs} (list, submit),
 * {@code GET /v1/jobs/{id}}, {@code GET /v1/jobs/{id}/result} and {@code POST /v1/jobs/{id}/cancel}.
 * A submitter sees only its own jobs; an admin key sees all.
 */
final class JobRoutes implements Routes {
    private final CoordinatorApi api;
    private final KeyAuthenticator keys;

    JobRoutes(CoordinatorApi api, KeyAuthenticator keys) {
        this.api = api;
        this.keys = keys;
    }

    @Override
    public Object handle(Request request, String method, String[] p) throws IOException {
        boolean collection = p.length == 1 || (p.length == 2 && p[1].isEmpty());
        if (collection && method.equals("GET")) {
            return list(request);
        }
        if (collection) {
            requireMethod(method, "POST");
            return submit(request);
        }
        JobId id = JobId.parse(p[1]);
        MDC.put("job", id.toString());
        if (p.length == 2) {
            requireMethod(method, "GET");
            ApiKeys.Caller caller = keys.require(request, Scope.READ);
            Job job = visibleJob(caller, id);
            return Wire.JobView.of(job, api.progress(id).orElse(null));
        }
        if (p.length == 3 && p[2].equals("result")) {
            requireMethod(method, "GET");
            ApiKeys.Caller caller = keys.require(request, Scope.READ);
            Job job = visibleJob(caller, id);
            byte[] result = api.acceptedResult(id).orElseThrow(() -> new HttpError(404, HttpProblem.NO_RESULT,
                    "job " + id + " has no accepted result; it is " + job.state()));
            return new Wire.ResultView(id.toString(), job.acceptedDigest(), Wire.b64(result));
        }
        if (p.length == 3 && p[2].equals("cancel")) {
            requireMethod(method, "POST");
            ApiKeys.Caller caller = keys.require(request, Scope.SUBMIT);
            visibleJob(caller, id);
            return Wire.JobView.of(api.cancel(id));
        }
        throw Routes.notFound("job resource", p);
    }

    private Object list(Request request) {
        ApiKeys.Caller caller = keys.require(request, Scope.READ);
        Fields q = Request.extractQueryParameters(request);
        String state = q.getValue("state");
        JobState jobState;
        try {
            jobState = state == null ? null : JobState.valueOf(state.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("state must be one of " + Arrays.toString(JobState.values())
                    + ", was '" + state + "'");
        }
        String after = q.getValue("after");
        // Submitters list their own jobs; admins may name any submitter, or none for all.
        String submitter = caller.scopes().contains(Scope.ADMIN) ? q.getValue("submitter") : caller.name();
        JobQuery query = new JobQuery(submitter, jobState, q.getValue("type"),
                after == null ? 0 : JobId.parse(after).value(), intParam(q, "limit", 100));
        List<Job> page = api.jobs(query);
        // A short page is the last (stores do not stop early), so only a full page has a next.
        return new Wire.JobPage(page.stream().map(Wire.JobView::of).toList(),
                page.size() < query.limit() ? null : page.get(page.size() - 1).id().toString());
    }

    private Object submit(Request request) throws IOException {
        ApiKeys.Caller caller = keys.require(request, Scope.SUBMIT);
        Wire.Submission form = read(request, Wire.Submission.class);
        if (form.jobs() == null || form.jobs().isEmpty()) {
            throw new InvalidRequestException("jobs must hold at least one job");
        }
        List<JobSpec> specs = new ArrayList<>(form.jobs().size());
        // A caller's trace context goes to the jobs that name none. A malformed header is ignored, as
        // W3C Trace Context asks (proxies and agents add these); a job's own field is checked.
        String traceparent = request.getHeaders().get("traceparent");
        if (traceparent != null && !Traceparent.isValid(traceparent)) {
            traceparent = null;
        }
        for (Wire.NewJob j : form.jobs()) {
            if (j == null) {
                throw new InvalidRequestException("jobs must not contain null");
            }
            specs.add(j.toSpec(caller.name(), traceparent));
        }
        return new Routes.Created(new Wire.JobList(api.submit(specs).stream().map(Wire.JobView::of).toList()));
    }

    /** Submitters see their own jobs; admins see all. Others' jobs look absent rather than forbidden. */
    private Job visibleJob(ApiKeys.Caller caller, JobId id) {
        Job job = api.job(id).orElseThrow(() -> new UnknownJobException("there is no job " + id));
        if (!caller.scopes().contains(Scope.ADMIN) && !job.spec().submitter().equals(caller.name())) {
            throw new UnknownJobException("there is no job " + id);
        }
        return job;
    }
}
