package dev.muster.transport.http;

import static dev.muster.transport.http.Exchange.body;
import static dev.muster.transport.http.Exchange.parse;
import static dev.muster.transport.http.Exchange.read;
import static dev.muster.transport.http.Exchange.requireMethod;

import dev.muster.spi.Challenge;
import dev.muster.spi.CoordinatorApi;
import dev.muster.spi.ErrorCode;
import dev.muster.spi.InvalidRequestException;
import dev.muster.spi.RejectionReason;
import dev.muster.spi.ReportOutcome;
import dev.muster.spi.ResultBatch;
import dev.muster.spi.ResultReport;
import dev.muster.spi.WorkerId;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * Routes of workers, all {@code POST /v1/workers/...}: {@code challenge} and {@code register} (the
 * body carries the proof), and the signed (or session) requests {@code login}, {@code heartbeat},
 * {@code lease}, {@code results}, {@code release} and {@code drain}.
 */
final class WorkerRoutes implements Routes {
    private final CoordinatorApi api;
    private final InstantSource clock;
    private final SessionTokens sessions;
    private final WorkerAuthenticator workers;

    WorkerRoutes(CoordinatorApi api, InstantSource clock, SessionTokens sessions, WorkerAuthenticator workers) {
        this.api = api;
        this.clock = clock;
        this.sessions = sessions;
        this.workers = workers;
    }

    @Override
    public Object handle(Request request, String method, String[] p) throws IOException {
        requireMethod(method, "POST");
        if (p.length != 2) {
            throw Routes.notFound("worker resource", p);
        }
        switch (p[1]) {
            case "challenge": {
                Challenge c = api.challenge();
                return new Wire.ChallengeView(Wire.b64(c.value()), Wire.time(c.expiresAt()));
            }
            case "register": {
                Wire.RegistrationForm form = read(request, Wire.RegistrationForm.class);
                return Wire.WorkerView.of(api.register(form.toRegistration()));
            }
            case "login":
                return login(request);
            case "heartbeat": {
                WorkerId w = workers.authenticate(request, body(request));
                api.heartbeat(w);
                return Wire.WorkerView.of(api.worker(w).orElseThrow());
            }
            case "lease":
                return lease(request);
            case "results":
                return results(request);
            case "release": {
                byte[] body = body(request);
                WorkerId w = workers.authenticate(request, body);
                Wire.ReleaseForm form = parse(body, Wire.ReleaseForm.class);
                return Wire.ReleaseView.of(api.release(w, form.refs(), form.releaseReason(), form.detail()));
            }
            case "drain": {
                // The worker's own drain is leaving: registering again lifts it, unlike an admin's.
                WorkerId w = workers.authenticate(request, body(request));
                api.leave(w);
                return Wire.WorkerView.of(api.worker(w).orElseThrow());
            }
            default:
                throw Routes.notFound("worker resource", p);
        }
    }

    private Object login(Request request) {
        if (request.getHeaders().get(HttpHeader.AUTHORIZATION) != null) {
            throw new HttpError(401, HttpProblem.UNAUTHENTICATED, "log in with a signed request, not a session");
        }
        WorkerId w = workers.authenticate(request, body(request));
        workers.requireNotBanned(w);
        long now = clock.millis();
        return new Wire.SessionView(sessions.issue(w, now), Wire.time(Instant.ofEpochMilli(now).plus(sessions.ttl())));
    }

    /** @return the tickets now, or a future of them for a long poll */
    private Object lease(Request request) throws IOException {
        byte[] body = body(request);
        WorkerId w = workers.authenticate(request, body);
        Wire.LeaseForm form = parse(body, Wire.LeaseForm.class);
        int max = form.max() == null ? 1 : form.max();
        Duration wait = Wire.duration(form.waitFor(), "wait", Duration.ZERO);
        if (wait.isZero()) {
            return Wire.TicketBatchView.of(api.lease(w, max));
        }
        return api.leaseAsync(w, max, wait).thenApply(Wire.TicketBatchView::of);
    }

    private Object results(Request request) throws IOException {
        byte[] body = body(request);
        WorkerId w = workers.authenticate(request, body);
        Wire.ResultsForm form = parse(body, Wire.ResultsForm.class);
        if (form.results() == null) {
            throw new InvalidRequestException("results is required");
        }
        List<ResultReport> reports = new ArrayList<>(form.results().size());
        for (Wire.ResultForm r : form.results()) {
            if (r == null) {
                throw new InvalidRequestException("results must not contain null");
            }
            reports.add(r.toReport());
        }
        ResultBatch batch = new ResultBatch(w, reports, Wire.unb64(form.signature(), "signature"));
        List<ReportOutcome> outcomes = api.report(batch);
        List<Wire.OutcomeView> views = outcomes.stream().map(Wire.OutcomeView::of).toList();
        if (outcomes.stream().noneMatch(ReportOutcome::isSuccess)) {
            // Nothing in the report was taken: say so with a 4xx, and still list why each was refused.
            ReportOutcome first = outcomes.get(0);
            boolean notLeased = first.reason() == RejectionReason.NOT_LEASED;
            ErrorCode kind = notLeased ? ErrorCode.NOT_LEASED : ErrorCode.RESULT_REJECTED;
            throw new HttpError(notLeased ? 409 : 422, kind,
                    "no result in the report was accepted; first: job " + first.jobId() + " replica "
                            + first.replica() + ": " + first.reason() + " (" + first.detail() + ")",
                    Map.of("outcomes", views));
        }
        return new Wire.OutcomeList(views);
    }
}
