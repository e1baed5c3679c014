package dev.muster.spi.testkit;

import dev.muster.spi.Capabilities;
import dev.muster.spi.Challenge;
import dev.muster.spi.CoordinatorApi;
import dev.muster.spi.Keys;
import dev.muster.spi.Registration;
import dev.muster.spi.ReportOutcome;
import dev.muster.spi.ResultBatch;
import dev.muster.spi.ResultReport;
import dev.muster.spi.SignedBytes;
import dev.muster.spi.Ticket;
import dev.muster.spi.TicketBatch;
import dev.muster.spi.Worker;
import dev.muster.spi.WorkerId;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An in-process worker for tests: it holds its own Ed25519 key, registers with a coordinator by
 * answering its challenge, leases, and reports results it signs, all through {@link CoordinatorApi}
 * as a real worker's transport would. What it answers is up to the test.
 */
public final class SigningWorker {
    private final KeyPair keys;
    private final WorkerId id;
    private final String owner;
    private final CoordinatorApi api;
    private String ownerSecret;

    /** A worker with a new key, of {@code owner}, talking to {@code api}. */
    public SigningWorker(CoordinatorApi api, String owner) {
        this(api, owner, Keys.generate());
    }

    /** A worker with the given key, of {@code owner}, talking to {@code api}. */
    public SigningWorker(CoordinatorApi api, String owner, KeyPair keys) {
        this.api = api;
        this.owner = owner;
        this.keys = keys;
        this.id = WorkerId.of(keys.getPublic());
    }

    /** @return a new worker of {@code owner}, registered with {@code api} as {@link #register()} does */
    public static SigningWorker registered(CoordinatorApi api, String owner) {
        SigningWorker w = new SigningWorker(api, owner);
        w.register();
        return w;
    }

    /**
     * @return a new worker of a new owner account, created through {@code api} (as an admin would),
     *     registered with the account's secret
     */
    public static SigningWorker ofNewAccount(CoordinatorApi api, String owner) {
        SigningWorker w = new SigningWorker(api, owner);
        w.ownerSecret = api.createOwner(owner).secret();
        w.register();
        return w;
    }

    /** @return this worker presenting {@code secret} as its owner account's secret when it registers */
    public SigningWorker withOwnerSecret(String secret) {
        this.ownerSecret = secret;
        return this;
    }

    /** @return the same worker (key and owner) talking to another coordinator of its pool */
    public SigningWorker on(CoordinatorApi other) {
        return new SigningWorker(other, owner, keys).withOwnerSecret(ownerSecret);
    }

    /** @return the worker's key pair */
    public KeyPair keys() {
        return keys;
    }

    /** @return the worker's id, derived from its public key */
    public WorkerId id() {
        return id;
    }

    /** @return the contributor the worker registers for */
    public String owner() {
        return owner;
    }

    /** @return the coordinator the worker talks to */
    public CoordinatorApi api() {
        return api;
    }

    /** @return a registration answering a fresh challenge, signed with the worker's key */
    public Registration registration(Capabilities caps, String build, int maxLeases) {
        Challenge c = api.challenge();
        byte[] signed = SignedBytes.registration(c.value(), keys.getPublic(), owner, caps, build, maxLeases);
        return new Registration(keys.getPublic(), owner, caps, build, maxLeases, c.value(),
                Keys.sign(keys.getPrivate(), signed), ownerSecret);
    }

    /** Registers with 4 cores, 4 GiB, build {@code build-1} and up to {@code maxLeases} leases. */
    public Worker register(int maxLeases) {
        return api.register(registration(Capabilities.of(4, 4096), "build-1", maxLeases));
    }

    /** Registers with 4 cores, 4 GiB, build {@code build-1} and up to 100 leases. */
    public Worker register() {
        return register(100);
    }

    /** Leases up to {@code max} jobs. */
    public TicketBatch lease(int max) {
        return api.lease(id, max);
    }

    /** @return a result for {@code t} whose bytes are {@code text}, with {@code turns=10} in its metadata */
    public static ResultReport answer(Ticket t, String text) {
        return ResultReport.of(t.jobId(), t.replica(), t.seed(), text.getBytes(StandardCharsets.UTF_8),
                Map.of("turns", "10"));
    }

    /**
     * @return for each ticket, a result derived from its job's seed alone, so that honest workers
     *         given the same job agree
     */
    public static List<ResultReport> honestAnswers(List<Ticket> tickets) {
        List<ResultReport> out = new ArrayList<>(tickets.size());
        for (Ticket t : tickets) {
            out.add(ResultReport.of(t.jobId(), t.replica(), t.spec().seed(),
                    ("seed " + t.spec().seed()).getBytes(StandardCharsets.UTF_8), Map.of()));
        }
        return out;
    }

    /** @return the results as a batch signed with the worker's key */
    public ResultBatch signed(List<ResultReport> results) {
        byte[] sig = Keys.sign(keys.getPrivate(), SignedBytes.results(id, results));
        return new ResultBatch(id, results, sig);
    }

    /** Reports signed results; @return the coordinator's answer for each */
    public List<ReportOutcome> report(List<ResultReport> results) {
        return api.report(signed(results));
    }

    /** Reports one signed result; @return the coordinator's answer */
    public ReportOutcome report(ResultReport result) {
        return report(List.of(result)).get(0);
    }
}
