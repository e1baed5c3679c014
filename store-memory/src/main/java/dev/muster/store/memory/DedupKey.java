package dev.muster.store.memory;

import dev.muster.spi.store.NewJob;

/**
 * Finds a submitter's earlier job: by idempotency key when the job has one, by content digest
 * otherwise (the same rule as {@link NewJob#dedupKey()}, without building a new string per job).
 * Hash and equality are written out because this key is hashed on every submission.
 */
final class DedupKey {
    private final String submitter;
    private final boolean byIdempotencyKey;
    private final String value;
    private final int hash;

    private DedupKey(String submitter, boolean byIdempotencyKey, String value) {
        this.submitter = submitter;
        this.byIdempotencyKey = byIdempotencyKey;
        this.value = value;
        this.hash = 31 * (31 * submitter.hashCode() + value.hashCode()) + (byIdempotencyKey ? 1 : 0);
    }

    static DedupKey of(NewJob job) {
        String key = job.spec().idempotencyKey();
        return key != null ? new DedupKey(job.spec().submitter(), true, key)
                : new DedupKey(job.spec().submitter(), false, job.digest());
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DedupKey k && hash == k.hash && byIdempotencyKey == k.byIdempotencyKey
                && value.equals(k.value) && submitter.equals(k.submitter);
    }
}
