package dev.muster.transport.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.muster.spi.Capabilities;
import dev.muster.spi.Checks;
import dev.muster.spi.InvalidRequestException;
import dev.muster.spi.Job;
import dev.muster.spi.JobId;
import dev.muster.spi.JobProgress;
import dev.muster.spi.JobSpec;
import dev.muster.spi.Keys;
import dev.muster.spi.LeaderboardEntry;
import dev.muster.spi.OwnerAccount;
import dev.muster.spi.OwnerCredentials;
import dev.muster.spi.PoolSummary;
import dev.muster.spi.Registration;
import dev.muster.spi.Rejection;
import dev.muster.spi.ReleaseReason;
import dev.muster.spi.ReportOutcome;
import dev.muster.spi.Requirements;
import dev.muster.spi.ResultReport;
import dev.muster.spi.Ticket;
import dev.muster.spi.TicketBatch;
import dev.muster.spi.TicketRef;
import dev.muster.spi.Worker;
import dev.muster.spi.policy.KeyTrust;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON shapes of the HTTP API, as records Jackson reads and writes, and their mapping to the
 * domain values. Bytes travel as base64, instants and durations as ISO-8601 strings. Unknown
 * fields are refused (see {@link Json}), so a misspelt field fails loudly instead of being ignored.
 */
final class Wire {
    private Wire() {}

    static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    static byte[] unb64(String text, String field) {
        Checks.notNull(text, field);
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(field + " is not valid base64: " + e.getMessage());
        }
    }

    static Duration duration(String text, String field, Duration fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new InvalidRequestException(field + " must be an ISO-8601 duration such as PT10M, was '" + text + "'");
        }
    }

    static String time(Instant t) {
        return t == null ? null : t.toString();
    }

    // ---------------------------------------------------------------- requirements, capabilities

    record Resources(Integer cores, Long memoryMb, Boolean gpu, List<String> labels) {
        Requirements toRequirements() {
            return new Requirements(cores == null ? 0 : cores, memoryMb == null ? 0 : memoryMb,
                    gpu != null && gpu, labels == null ? Set.of() : Set.copyOf(labels));
        }

        Capabilities toCapabilities() {
            return new Capabilities(cores == null ? 1 : cores, memoryMb == null ? 0 : memoryMb,
                    gpu != null && gpu, labels == null ? Set.of() : Set.copyOf(labels));
        }

        static Resources of(Requirements r) {
            return new Resources(r.cores(), r.memoryMb(), r.gpu(), List.copyOf(r.labels()));
        }

        static Resources of(Capabilities c) {
            return new Resources(c.cores(), c.memoryMb(), c.gpu(), List.copyOf(c.labels()));
        }
    }

    // ---------------------------------------------------------------- jobs

    record NewJob(String type, String payload, String mediaType, Long seed, Integer priority,
                  Resources requirements, String timeout, Integer maxAttempts, String idempotencyKey,
                  String traceparent) {
        /** @param traceparent the request's {@code traceparent} header, for a job without its own; or null */
        JobSpec toSpec(String submitter, String traceparent) {
            JobSpec.Builder b = JobSpec.builder(type, unb64(payload, "payload")).submitter(submitter)
                    .timeout(duration(timeout, "timeout", JobSpec.DEFAULT_TIMEOUT)).idempotencyKey(idempotencyKey)
                    .traceparent(this.traceparent != null ? this.traceparent : traceparent);
            if (mediaType != null) {
                b.mediaType(mediaType);
            }
            if (seed != null) {
                b.seed(seed);
            }
            if (priority != null) {
                b.priority(priority);
            }
            if (requirements != null) {
                b.requirements(requirements.toRequirements());
            }
            if (maxAttempts != null) {
                b.maxAttempts(maxAttempts);
            }
            return b.build();
        }
    }

    record Submission(List<NewJob> jobs) {}

    /** A job; {@code progress} only where one job is asked for, since it reads the job's results. */
    record JobView(String id, String type, String state, long seed, int priority, String submitter,
                   String mediaType, String digest, String payloadDigest, int replicasWanted, int attempts,
                   String submittedAt, String finishedAt, String acceptedDigest, String failureReason,
                   String traceparent, JobProgress progress) {
        static JobView of(Job j) {
            return of(j, null);
        }

        static JobView of(Job j, JobProgress progress) {
            return new JobView(j.id().toString(), j.spec().type(), j.state().name(), j.spec().seed(),
                    j.spec().priority(), j.spec().submitter(), j.spec().mediaType(), j.digest(), j.payloadDigest(),
                    j.replicasWanted(), j.attempts(), time(j.submittedAt()), time(j.finishedAt()), j.acceptedDigest(),
                    j.failureReason(), j.spec().traceparent(), progress);
        }
    }

    record JobList(List<JobView> jobs) {}

    /**
     * A page of jobs; {@code next} is the cursor for the following page, given only when the page
     * is full. A page without it (shorter than the limit, possibly empty) is the last.
     */
    record JobPage(List<JobView> jobs, String next) {}

    record ResultView(String jobId, String resultDigest, String result) {}

    /** A page of workers; {@code next} (the cursor for {@code after}) only when the page is full. */
    record WorkerList(List<WorkerView> workers, String next) {}

    record KeyForm(String publicKey) {}

    // ---------------------------------------------------------------- workers

    record ChallengeView(String challenge, String expiresAt) {}

    /** {@code ownerSecret}: the owner account's secret where owners are verified; absent where they are declared. */
    record RegistrationForm(String publicKey, String owner, Resources capabilities, String clientBuild,
                            Integer maxConcurrentLeases, String challenge, String signature, String ownerSecret) {
        Registration toRegistration() {
            Checks.notNull(capabilities, "capabilities");
            Checks.notNull(maxConcurrentLeases, "maxConcurrentLeases");
            return new Registration(Keys.publicKey(unb64(publicKey, "publicKey")), owner,
                    capabilities.toCapabilities(), clientBuild, maxConcurrentLeases, unb64(challenge, "challenge"),
                    unb64(signature, "signature"), ownerSecret);
        }

        /** Leaves the secret out, should the form ever be logged. */
        @Override
        public String toString() {
            return "RegistrationForm[owner=" + owner + ", clientBuild=" + clientBuild + "]";
        }
    }

    record WorkerView(String id, String owner, String state, Resources capabilities, String clientBuild,
                      int maxConcurrentLeases, String registeredAt, String lastSeen) {
        static WorkerView of(Worker w) {
            return new WorkerView(w.id().value(), w.owner(), w.state().name(), Resources.of(w.capabilities()),
                    w.clientBuild(), w.maxConcurrentLeases(), time(w.registeredAt()), time(w.lastSeen()));
        }
    }

    /** An owner account to create: its name. */
    record OwnerForm(String name) {}

    /** A new owner account: its name and its secret, which this answer shows once. */
    record OwnerCreated(String name, String secret) {
        static OwnerCreated of(OwnerCredentials c) {
            return new OwnerCreated(c.name(), c.secret());
        }
    }

    /** An owner account as admins see it; never its secret or the secret's hash. */
    record OwnerView(String name, String state, String reason, String createdAt) {
        static OwnerView of(OwnerAccount a) {
            return new OwnerView(a.name(), a.state().name(), a.reason(), time(a.createdAt()));
        }
    }

    record OwnerList(List<OwnerView> owners, String next) {}

    record StandingView(String worker, long spotChecksPassed, int strikes, boolean banned, String bannedAt,
                        String banReason, boolean backtracked, String updatedAt) {
        static StandingView of(KeyTrust t) {
            return new StandingView(t.worker().value(), t.passed(), t.strikes(), t.banned(),
                    t.bannedAt() == null ? null : time(t.bannedAt()), t.banReason(), t.backtracked(),
                    t.updatedAt() == null ? null : time(t.updatedAt()));
        }
    }

    /** {@code wait}: an ISO-8601 duration to long-poll for work when none is there now. */
    record SessionView(String token, String expiresAt) {}

    record LeaseForm(Integer max, @JsonProperty("wait") String waitFor) {}

    record TicketView(String jobId, int replica, String type, String payload, String mediaType, long seed,
                      String payloadDigest, String deadline, String traceparent) {
        static TicketView of(Ticket t) {
            return new TicketView(t.jobId().toString(), t.replica(), t.type(), b64(t.spec().payload()),
                    t.spec().mediaType(), t.seed(), t.payloadDigest(), time(t.deadline()), t.traceparent());
        }
    }

    record TicketBatchView(String worker, String issuedAt, List<TicketView> tickets, String signature) {
        static TicketBatchView of(TicketBatch b) {
            return new TicketBatchView(b.worker().value(), time(b.issuedAt()),
                    b.tickets().stream().map(TicketView::of).toList(), b64(b.signature()));
        }
    }

    /** The coordinator's ticket-signing key as published; the key fields are null when tickets are not signed. */
    record TicketKeyView(boolean signsTickets, String algorithm, String publicKey, String pem) {
        static TicketKeyView of(java.security.PublicKey key) {
            return key == null ? new TicketKeyView(false, null, null, null)
                    : new TicketKeyView(true, "Ed25519", b64(key.getEncoded()), Keys.toPem(key));
        }
    }

    record ResultForm(String jobId, Integer replica, Long seed, String result, String resultDigest,
                      Map<String, String> metadata) {
        ResultReport toReport() {
            Checks.notNull(replica, "replica");
            Checks.notNull(seed, "seed");
            return new ResultReport(JobId.parse(jobId), replica, seed, unb64(result, "result"), resultDigest,
                    metadata == null ? Map.of() : metadata);
        }
    }

    record ResultsForm(List<ResultForm> results, String signature) {}

    record OutcomeView(String jobId, int replica, String status, String reason, String detail, double credit) {
        static OutcomeView of(ReportOutcome o) {
            return new OutcomeView(o.jobId().toString(), o.replica(), o.status().name(),
                    o.reason() == null ? null : o.reason().name(), o.detail(), o.credit());
        }
    }

    record OutcomeList(List<OutcomeView> outcomes) {}

    /** One ticket, by job and replica, in a release and its answer. */
    record TicketRefView(String jobId, Integer replica) {
        TicketRef toRef() {
            Checks.notNull(replica, "replica");
            return new TicketRef(JobId.parse(jobId), replica);
        }

        static TicketRefView of(TicketRef t) {
            return new TicketRefView(t.jobId().toString(), t.replica());
        }
    }

    /** {@code reason}: FAILED (counts an attempt) or NOT_RUN (does not); {@code detail}: what went wrong. */
    record ReleaseForm(List<TicketRefView> tickets, String reason, String detail) {
        ReleaseReason releaseReason() {
            Checks.notNull(reason, "reason");
            try {
                return ReleaseReason.valueOf(reason);
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("reason must be FAILED or NOT_RUN, was '"
                        + (reason.length() > 40 ? reason.substring(0, 40) + "..." : reason) + "'");
            }
        }

        List<TicketRef> refs() {
            Checks.notNull(tickets, "tickets");
            List<TicketRef> out = new java.util.ArrayList<>(tickets.size());
            for (int i = 0; i < tickets.size(); i++) {
                out.add(Checks.notNull(tickets.get(i), "tickets[" + i + "]").toRef());
            }
            return out;
        }
    }

    record ReleaseView(List<TicketRefView> released) {
        static ReleaseView of(List<TicketRef> released) {
            return new ReleaseView(released.stream().map(TicketRefView::of).toList());
        }
    }

    // ---------------------------------------------------------------- queries

    record LeaderboardView(String scope, String window, List<LeaderboardEntry> entries) {}

    record RejectionView(String at, String worker, String jobId, int replica, String reason, String detail) {
        static RejectionView of(Rejection r) {
            return new RejectionView(time(r.at()), r.worker().value(), r.jobId() == null ? null : r.jobId().toString(),
                    r.replica(), r.reason().name(), r.detail());
        }
    }

    record RejectionList(List<RejectionView> rejections) {}

    record BanForm(String reason) {}

    record Health(String status) {}

    static Map<String, Object> summary(PoolSummary s) {
        return Map.of("workers", s.workers(), "jobs", s.jobs(), "activeLeases", s.activeLeases(),
                "rejections", s.rejections());
    }
}
