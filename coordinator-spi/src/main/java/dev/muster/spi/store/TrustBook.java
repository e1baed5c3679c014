package dev.muster.spi.store;

import dev.muster.spi.WorkerId;
import dev.muster.spi.policy.KeyTrust;
import java.util.Collection;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The standing of worker keys as a store reads and changes it inside the call that holds a job,
 * so that a strike or a ban commits with the result that caused it, or not at all.
 * {@link JobLifecycle} uses it only for trust policies that {@linkplain
 * dev.muster.spi.policy.TrustPolicy#judgesKeys() judge keys}.
 */
public interface TrustBook {
    /**
     * Reads the standing of several keys.
     *
     * @param workers the keys, by worker id
     * @return one entry per key asked for; a key never judged is a {@link KeyTrust#newcomer}
     */
    Map<WorkerId, KeyTrust> read(Collection<WorkerId> workers);

    /**
     * Changes one key's standing atomically with the caller's other changes: the store reads the
     * standing (locking it against concurrent changes), applies {@code change} and writes the
     * result. A key that becomes banned here has its worker banned in the same call.
     *
     * @param worker the key, by its worker id
     * @param change from the standing before to the standing after; a store that retries a
     *               transaction may call it more than once, so it should have no other effect
     * @return the standing after the change
     */
    KeyTrust update(WorkerId worker, UnaryOperator<KeyTrust> change);
}
