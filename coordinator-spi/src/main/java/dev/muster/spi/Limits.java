package dev.muster.spi;

/**
 * Hard limits on the shape of domain values, enforced when a value is built. Limits that an
 * operator may tune (payload and result sizes, batch sizes) live in the coordinator's settings.
 */
public final class Limits {
    private Limits() {}

    /** Longest job type name. */
    public static final int TYPE_LENGTH = 64;
    /** Longest submitter, owner or label string. */
    public static final int NAME_LENGTH = 128;
    /** Longest idempotency key. */
    public static final int IDEMPOTENCY_KEY_LENGTH = 200;
    /** Longest client build digest or media type. */
    public static final int TOKEN_LENGTH = 200;
    /** Most labels on a requirement or capability set. */
    public static final int MAX_LABELS = 32;
    /** Most metadata entries on a result. */
    public static final int MAX_METADATA = 64;
    /** Longest metadata key or value. */
    public static final int METADATA_LENGTH = 1024;
    /** Longest free-text reason (rejections, failures, bans). */
    public static final int REASON_LENGTH = 1000;
}
