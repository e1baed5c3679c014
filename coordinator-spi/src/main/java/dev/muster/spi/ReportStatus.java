package dev.muster.spi;

/** What became of one reported result. */
public enum ReportStatus {
    /** Valid, and it decided the job: the job is accepted. */
    ACCEPTED,
    /** Valid and kept; the job waits for more replicas to agree. */
    RECORDED,
    /** The same result was reported before; nothing changed. Safe to treat as success. */
    DUPLICATE,
    /** Rejected; see the reason. Nothing accepted changed. */
    REJECTED
}
