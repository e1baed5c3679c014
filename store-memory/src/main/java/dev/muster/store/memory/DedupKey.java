package dev.muster.store.memory;

/**
 * A submitter's idempotency key or content digest, as {@link dev.muster.spi.store.NewJob#dedupKey()}
 * gives it. Hash and equality are written out because this key is hashed on every submission and
 * the generated record methods cost several times more.
 */
final class DedupKey {
    final String submitter;
    final String key;
    private final int hash;

    DedupKey(String submitter, String key) {
        this.submitter = submitter;
        this.key = key;
        this.hash = 31 * submitter.hashCode() + key.hashCode();
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DedupKey k && hash == k.hash && key.equals(k.key) && submitter.equals(k.submitter);
    }
}
