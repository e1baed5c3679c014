package dev.muster.spi;

/**
 * Names every kind of failure Muster raises on purpose, each with the stable code a transport
 * answers with (over HTTP, the problem type).
 *
 * <p>A transport maps each constant to its own status with a {@code switch} that has no default,
 * so that a kind added here does not compile until every transport has decided what it answers.
 * The codes are part of the wire protocol: a constant may be added, never renamed.
 */
public enum ErrorCode {
    /** The request is malformed or out of bounds; see {@link InvalidRequestException}. */
    INVALID_REQUEST("invalid-request"),
    /** No validator handles the job type; see {@link UnknownJobTypeException}. */
    UNKNOWN_JOB_TYPE("unknown-job-type"),
    /** A signature does not verify; see {@link BadSignatureException}. */
    BAD_SIGNATURE("bad-signature"),
    /** The trust policy or a limit refused a worker's registration; see {@link RegistrationRefusedException}. */
    REGISTRATION_REFUSED("registration-refused"),
    /** An owner account of that name exists already; see {@link OwnerExistsException}. */
    OWNER_EXISTS("owner-exists"),
    /** The worker is banned; see {@link WorkerBannedException}. */
    WORKER_BANNED("worker-banned"),
    /** No such job; see {@link UnknownJobException}. */
    UNKNOWN_JOB("unknown-job"),
    /** No such worker; see {@link UnknownWorkerException}. */
    UNKNOWN_WORKER("unknown-worker"),
    /** There is no such owner account; see {@link UnknownOwnerException}. */
    UNKNOWN_OWNER("unknown-owner"),
    /** An idempotency key was reused for different jobs; see {@link IdempotencyConflictException}. */
    IDEMPOTENCY_CONFLICT("idempotency-conflict"),
    /** The worker does not hold the lease it reports on; see {@link NotLeasedException}. */
    NOT_LEASED("not-leased"),
    /** A result was refused; see {@link ResultRejectedException}. */
    RESULT_REJECTED("result-rejected"),
    /** The coordinator is not running; see {@link CoordinatorStateException}. */
    NOT_RUNNING("not-running"),
    /** The store cannot be reached for now; see {@link StoreUnavailableException}. */
    STORE_UNAVAILABLE("store-unavailable"),
    /** The store failed, or its outcome is unknown; see {@link StoreFailedException}. */
    STORE_FAILED("store-failed"),
    /** A plug-in cannot be found or loaded; see {@link PluginException}. */
    PLUGIN("plugin"),
    /** A setting is missing, malformed or contradicts another; see {@link ConfigurationException}. */
    CONFIGURATION("configuration"),
    /** A transport cannot serve, e.g. its port is taken. */
    TRANSPORT("transport"),
    /** Worker side: the coordinator cannot be reached. */
    UNREACHABLE("unreachable"),
    /** Worker side: a call to the coordinator was interrupted. */
    INTERRUPTED("interrupted"),
    /** Worker side: the coordinator's answer was not what the protocol says. */
    BAD_RESPONSE("bad-response"),
    /** Worker side: a ticket's payload cannot be read. */
    BAD_PAYLOAD("bad-payload"),
    /**
     * Worker side: the coordinator answered with a problem, whose own status and type the
     * transport's exception carries (over HTTP its code is {@code http-} and the status).
     */
    REFUSED("refused");

    private final String code;

    ErrorCode(String code) {
        this.code = code;
    }

    /**
     * Returns the stable code, e.g. {@code "bad-signature"}.
     *
     * @return the code a transport answers with
     */
    public String code() {
        return code;
    }
}
