package dev.muster.spi;

import java.time.Instant;
import java.util.List;

/** Something that happened in the pool, delivered to {@link EventListener}s after it is stored. */
public sealed interface CoordinatorEvent {
    /**
     * Returns when it happened.
     *
     * @return when it happened
     */
    Instant at();

    /**
     * A job was accepted; its result goes on to the pipeline.
     *
     * @param job     the job, in its accepted state
     * @param result  the accepted result bytes
     * @param credits credit granted, one entry per agreeing replica
     * @param at      when
     */
    record JobAccepted(Job job, byte[] result, List<CreditEntry> credits, Instant at) implements CoordinatorEvent {
        /**
         * Copies the list.
         *
         * @param job     the job, in its accepted state
         * @param result  the accepted result bytes, not copied
         * @param credits credit granted; not null
         * @param at      when
         */
        public JobAccepted {
            credits = List.copyOf(credits);
        }
    }

    /**
     * An accepted job was taken back: a key whose result it relied on was banned, and without that
     * result the job no longer met the trust policy's bar. A pipeline that received the job's
     * result in {@link JobAccepted} should undo what it did with it. The job is open again; or,
     * if the remaining results carried another digest, accepted anew (a {@link JobAccepted}
     * follows) or failed (a {@link JobFailed} follows).
     *
     * @param job             the job after the retraction
     * @param retractedDigest the digest that had been accepted and no longer is
     * @param reason          why
     * @param at              when
     */
    record JobRetracted(Job job, String retractedDigest, String reason, Instant at) implements CoordinatorEvent {}

    /**
     * A job failed: attempts ran out or replicas could not agree.
     *
     * @param job the job, in its failed state, with the reason
     * @param at  when
     */
    record JobFailed(Job job, Instant at) implements CoordinatorEvent {}

    /**
     * A job was cancelled.
     *
     * @param job the job, in its cancelled state
     * @param at  when
     */
    record JobCancelled(Job job, Instant at) implements CoordinatorEvent {}

    /**
     * A result was rejected; the same entry is in the rejection log.
     *
     * @param rejection what and why
     */
    record ResultRejected(Rejection rejection) implements CoordinatorEvent {
        @Override
        public Instant at() {
            return rejection.at();
        }
    }

    /**
     * A worker was banned.
     *
     * @param worker the worker
     * @param reason why
     * @param at     when
     */
    record WorkerBanned(WorkerId worker, String reason, Instant at) implements CoordinatorEvent {}
}
