package dev.muster.spi;

/**
 * The one table of limits on the values Muster takes in: every string, list and map that a
 * client or a plug-in hands to the coordinator is bounded by an entry here. The API checks each
 * value against its entry, and each store's schema is tested against this table (the JDBC store
 * reads its column sizes from the database), so a value the API accepts always fits the store.
 *
 * <p>Each entry says what it bounds ({@link #field()}), how far ({@link #max()}, in
 * {@link #unit()}) and what happens to a value beyond it ({@link #refuses()}):
 * <ul>
 *   <li>Values that come from clients are <em>refused</em>: the call throws an
 *       {@link InvalidRequestException} whose message names the field and the limit, and changes
 *       nothing ({@link #text(String)}). Within a result report, a result whose metadata is over a
 *       limit is rejected on its own ({@link RejectionReason#TOO_LARGE}); the rest of the report
 *       is recorded.</li>
 *   <li>Text that plug-ins and the coordinator itself write (a validator's reason, a trust
 *       policy's failure reason, rejection details, which may quote exception messages) is
 *       <em>truncated</em> to the limit with {@link #TRUNCATION_MARKER} at the end, never refused
 *       ({@link #fit(String)}).</li>
 * </ul>
 *
 * <p>Lengths are counted in UTF-16 code units, as {@link String#length()} counts them. A database
 * column of {@code varchar(n)} counts characters (code points on PostgreSQL, UTF-16 code units on
 * H2), and a string never has more code points than code units, so a value within a limit of
 * {@code n} fits a {@code varchar(n)} whatever its characters and however many bytes it takes in
 * UTF-8. Limits in {@link Unit#BYTES} bound binary values.
 *
 * <p>Limits that an operator tunes (payload and result sizes, batch sizes) are settings of the
 * coordinator; the {@code _BYTES} entries here are the ceilings those settings may not exceed.
 */
public enum Limits {
    /** Job type name, {@link JobSpec#type()}. */
    JOB_TYPE("type", 64, Unit.CHARACTERS, true),
    /** Media type of a payload, {@link JobSpec#mediaType()}. */
    MEDIA_TYPE("mediaType", 200, Unit.CHARACTERS, true),
    /** Submitter name, {@link JobSpec#submitter()}; an API key's name over HTTP. */
    SUBMITTER("submitter", 128, Unit.CHARACTERS, true),
    /** Idempotency key, {@link JobSpec#idempotencyKey()}. */
    IDEMPOTENCY_KEY("idempotencyKey", 200, Unit.CHARACTERS, true),
    /** Contributor account of a worker, {@link Registration#owner()}. */
    OWNER("owner", 128, Unit.CHARACTERS, true),
    /** Client build of a worker, {@link Registration#clientBuild()}. */
    CLIENT_BUILD("clientBuild", 200, Unit.CHARACTERS, true),
    /** One label of {@link Requirements#labels()} or {@link Capabilities#labels()}. */
    LABEL("label", 128, Unit.CHARACTERS, true),
    /** Labels in one requirement or capability set. */
    LABELS("labels", 32, Unit.ENTRIES, true),
    /** Entries in a result's {@link ResultReport#metadata()}. */
    METADATA_ENTRIES("metadata", 64, Unit.ENTRIES, true),
    /** One metadata key. */
    METADATA_KEY("metadata key", 1024, Unit.CHARACTERS, true),
    /** One metadata value. */
    METADATA_VALUE("metadata value", 1024, Unit.CHARACTERS, true),
    /** Why an admin bans a worker, {@link CoordinatorApi#ban}. */
    BAN_REASON("reason", 1000, Unit.CHARACTERS, true),
    /** A validator's reason for an invalid result, {@link Verdict#reason()}; truncated. */
    VERDICT_REASON("reason", 1000, Unit.CHARACTERS, false),
    /** Why a job failed or was cancelled, {@link Job#failureReason()}; truncated. */
    FAILURE_REASON("failureReason", 2000, Unit.CHARACTERS, false),
    /** Details of a rejection, {@link Rejection#detail()} and {@link ReportOutcome#detail()}; truncated. */
    REJECTION_DETAIL("detail", 1000, Unit.CHARACTERS, false),
    /** Ceiling of the coordinator's payload size setting. */
    PAYLOAD_BYTES("payload", 256 << 20, Unit.BYTES, true),
    /** Ceiling of the coordinator's result size setting. */
    RESULT_BYTES("result", 256 << 20, Unit.BYTES, true);

    /** What a limit counts. */
    public enum Unit {
        /** UTF-16 code units of a string ({@link String#length()}). */
        CHARACTERS,
        /** Entries of a collection or map. */
        ENTRIES,
        /** Bytes of a binary value. */
        BYTES
    }

    /** Ends text that {@link #fit(String)} shortened, so that a reader knows there was more. */
    public static final String TRUNCATION_MARKER = "... [truncated]";

    /** Longest job type name; same as {@link #JOB_TYPE}. */
    public static final int TYPE_LENGTH = JOB_TYPE.max;
    /** Longest submitter, owner or label string; same as {@link #SUBMITTER}, {@link #OWNER}, {@link #LABEL}. */
    public static final int NAME_LENGTH = SUBMITTER.max;
    /** Longest idempotency key; same as {@link #IDEMPOTENCY_KEY}. */
    public static final int IDEMPOTENCY_KEY_LENGTH = IDEMPOTENCY_KEY.max;
    /** Longest client build or media type; same as {@link #CLIENT_BUILD} and {@link #MEDIA_TYPE}. */
    public static final int TOKEN_LENGTH = CLIENT_BUILD.max;
    /** Most labels on a requirement or capability set; same as {@link #LABELS}. */
    public static final int MAX_LABELS = LABELS.max;
    /** Most metadata entries on a result; same as {@link #METADATA_ENTRIES}. */
    public static final int MAX_METADATA = METADATA_ENTRIES.max;
    /** Longest metadata key or value; same as {@link #METADATA_KEY} and {@link #METADATA_VALUE}. */
    public static final int METADATA_LENGTH = METADATA_KEY.max;
    /** Longest free-text reason from a client; same as {@link #BAN_REASON}. */
    public static final int REASON_LENGTH = BAN_REASON.max;

    private final String field;
    private final int max;
    private final Unit unit;
    private final boolean refuses;

    Limits(String field, int max, Unit unit, boolean refuses) {
        this.field = field;
        this.max = max;
        this.unit = unit;
        this.refuses = refuses;
    }

    /**
     * Returns the field's name as messages give it.
     *
     * @return the field's name as messages give it
     */
    public String field() {
        return field;
    }

    /**
     * Returns the largest length, count or size allowed.
     *
     * @return the largest length, count or size allowed
     */
    public int max() {
        return max;
    }

    /**
     * Returns what {@link #max()} counts.
     *
     * @return what {@link #max()} counts
     */
    public Unit unit() {
        return unit;
    }

    /**
     * Returns whether a value over the limit is refused (client input) rather than truncated (plug-in text).
     *
     * @return whether a value over the limit is refused (client input) rather than truncated (plug-in text)
     */
    public boolean refuses() {
        return refuses;
    }

    /**
     * Checks a required client string against this limit: non-blank, at most {@link #max()}
     * characters, no control characters.
     *
     * @param value the client's value
     * @return {@code value}
     * @throws InvalidRequestException naming {@link #field()} and the limit if the value breaks it
     */
    public String text(String value) {
        return Checks.text(value, field, max);
    }

    /**
     * Like {@link #text(String)}, with the field named {@code field} in messages (e.g. {@code "jobs[3].type"}).
     *
     * @param value the client's value
     * @param field the field's name for the message, in place of {@link #field()}
     * @return {@code value}
     * @throws InvalidRequestException naming {@code field} and the limit if the value breaks it
     */
    public String text(String value, String field) {
        return Checks.text(value, field, max);
    }

    /**
     * Fits text written by a plug-in or by the coordinator into this limit: text within it comes
     * back unchanged; longer text is cut and ends with {@link #TRUNCATION_MARKER}, never splitting
     * a surrogate pair. NUL characters, which PostgreSQL cannot store in text, become U+FFFD.
     *
     * @param value the text to fit, or null
     * @return the fitted text, or null if {@code value} is null
     */
    public String fit(String value) {
        if (value == null) {
            return null;
        }
        String clean = value.indexOf('\0') < 0 ? value : value.replace('\0', '\uFFFD');
        if (clean.length() <= max) {
            return clean;
        }
        int cut = max - TRUNCATION_MARKER.length();
        if (Character.isHighSurrogate(clean.charAt(cut - 1))) {
            cut--;
        }
        return clean.substring(0, cut) + TRUNCATION_MARKER;
    }

    @Override
    public String toString() {
        return name() + "(" + field + " <= " + max + " " + unit.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }
}
