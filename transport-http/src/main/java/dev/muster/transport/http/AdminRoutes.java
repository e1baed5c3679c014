package dev.muster.transport.http;

import static dev.muster.transport.http.Exchange.intParam;
import static dev.muster.transport.http.Exchange.read;
import static dev.muster.transport.http.Exchange.requireMethod;

import dev.muster.spi.CoordinatorApi;
import dev.muster.spi.ErrorCode;
import dev.muster.spi.InvalidRequestException;
import dev.muster.spi.Keys;
import dev.muster.spi.WorkerId;
import dev.muster.transport.http.ApiKeys.Scope;
import java.io.IOException;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/**
 * Routes of admins, with an admin API key, under {@code /v1/admin/}: the pool's status, the rejection log, the worker
 * list and one worker, a worker's drain, resume, ban and standing, owner accounts (create, list,
 * read, ban), and the allowlist ({@code PUT} and {@code DELETE} of {@code /v1/admin/allowlist/{worker}}).
 */
final class AdminRoutes implements Routes {
    private final CoordinatorApi api;
    private final KeyAuthenticator keys;

    AdminRoutes(CoordinatorApi api, KeyAuthenticator keys) {
        this.api = api;
        this.keys = keys;
    }

    @Override
    public Object handle(Request request, String method, String[] p) throws IOException {
        keys.require(request, Scope.ADMIN);
        if (p.length == 2 && p[1].equals("rejections")) {
            requireMethod(method, "GET");
            int limit = intParam(Request.extractQueryParameters(request), "limit", 100);
            return new Wire.RejectionList(api.rejections(limit).stream().map(Wire.RejectionView::of).toList());
        }
        if (p.length == 2 && p[1].equals("status")) {
            requireMethod(method, "GET");
            return StatusViews.StatusView.of(api.status());
        }
        if (p.length == 2 && p[1].equals("workers")) {
            requireMethod(method, "GET");
            Fields q = Request.extractQueryParameters(request);
            String after = q.getValue("after");
            int limit = intParam(q, "limit", 100);
            List<Wire.WorkerView> page = api.workers(after == null ? null : new WorkerId(after), limit).stream()
                    .map(Wire.WorkerView::of).toList();
            return new Wire.WorkerList(page, page.size() < limit ? null : page.get(page.size() - 1).id());
        }
        if (p.length == 3 && p[1].equals("allowlist")) {
            return allowlist(request, method, new WorkerId(p[2]));
        }
        if (p.length >= 2 && p[1].equals("owners")) {
            return owners(request, method, p);
        }
        if (p.length >= 3 && p[1].equals("workers")) {
            Object answer = worker(request, method, p, new WorkerId(p[2]));
            if (answer != null) {
                return answer;
            }
        }
        throw Routes.notFound("admin resource", p);
    }

    /**
     * {@code PUT /v1/admin/allowlist/{worker}} with the worker's public key lists it (201, or 200 if
     * it was listed already); {@code DELETE} takes it off (204, or 404 if it was not listed).
     */
    private Object allowlist(Request request, String method, WorkerId worker) throws IOException {
        if (method.equals("DELETE")) {
            if (!api.revoke(worker)) {
                throw new HttpError(404, ErrorCode.UNKNOWN_WORKER, "worker " + worker + " is not on the allowlist");
            }
            return Routes.NO_CONTENT;
        }
        requireMethod(method, "PUT");
        PublicKey key = Keys.publicKey(Wire.unb64(read(request, Wire.KeyForm.class).publicKey(), "publicKey"));
        if (!WorkerId.of(key).equals(worker)) {
            throw new InvalidRequestException("the key in the body is that of worker " + WorkerId.of(key)
                    + ", not " + worker + "; PUT it at /v1/admin/allowlist/" + WorkerId.of(key));
        }
        Map<String, Object> listed = Map.of("worker", worker.value(), "publicKey", Wire.b64(key.getEncoded()));
        return api.allow(key) ? new Routes.Created(listed) : listed;
    }

    /** @return the answer of {@code /v1/admin/owners[/{name}[/ban]]} */
    private Object owners(Request request, String method, String[] p) throws IOException {
        if (p.length == 2) {
            if (method.equals("POST")) {
                Wire.OwnerForm form = read(request, Wire.OwnerForm.class);
                return new Routes.Created(Wire.OwnerCreated.of(api.createOwner(form.name())));
            }
            requireMethod(method, "GET");
            Fields q = Request.extractQueryParameters(request);
            int limit = intParam(q, "limit", 100);
            List<Wire.OwnerView> page = api.ownerAccounts(q.getValue("after"), limit).stream()
                    .map(Wire.OwnerView::of).toList();
            return new Wire.OwnerList(page, page.size() < limit ? null : page.get(page.size() - 1).name());
        }
        String name = p[2];
        if (p.length == 3) {
            requireMethod(method, "GET");
            return Wire.OwnerView.of(api.ownerAccount(name).orElseThrow(() -> new HttpError(404,
                    ErrorCode.UNKNOWN_OWNER, "there is no owner account '" + name + "'")));
        }
        if (p.length == 4 && p[3].equals("ban")) {
            requireMethod(method, "POST");
            return Wire.OwnerView.of(api.banOwner(name, read(request, Wire.BanForm.class).reason()));
        }
        throw Routes.notFound("owner resource", p);
    }

    /** @return the answer of {@code /v1/admin/workers/{id}[/action]}, or null if there is no such route */
    private Object worker(Request request, String method, String[] p, WorkerId id) throws IOException {
        if (p.length == 3) {
            requireMethod(method, "GET");
            return Wire.WorkerView.of(api.worker(id).orElseThrow(() -> new HttpError(404, ErrorCode.UNKNOWN_WORKER,
                    "worker " + id + " is not registered")));
        }
        if (p.length != 4) {
            return null;
        }
        switch (p[3]) {
            case "drain":
                requireMethod(method, "POST");
                api.drain(id);
                return Wire.WorkerView.of(api.worker(id).orElseThrow());
            case "resume":
                requireMethod(method, "POST");
                return Wire.WorkerView.of(api.resume(id));
            case "standing":
                requireMethod(method, "GET");
                return Wire.StandingView.of(api.standing(id));
            case "ban": {
                requireMethod(method, "POST");
                Wire.BanForm form = read(request, Wire.BanForm.class);
                api.ban(id, form.reason());
                return Wire.WorkerView.of(api.worker(id).orElseThrow());
            }
            default:
                return null;
        }
    }
}
