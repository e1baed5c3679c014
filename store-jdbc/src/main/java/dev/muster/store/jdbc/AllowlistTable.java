package dev.muster.store.jdbc;

import dev.muster.spi.WorkerId;
import java.security.PublicKey;

/**
 * The allowlist of a trusted pool ({@code muster_allowed_key}), by worker id. Adding reads first
 * and inserts if absent; two coordinators adding one key at once collide on the primary key, and
 * the loser's transaction is retried, then finds the key listed.
 */
final class AllowlistTable {
    private final Transactions transactions;

    AllowlistTable(Transactions transactions) {
        this.transactions = transactions;
    }

    /** @return whether it was not listed before */
    boolean allow(PublicKey key) {
        String id = WorkerId.of(key).value();
        return transactions.write("add a key to the allowlist", c -> {
            if (Sql.queryOne(c, "select 1 from muster_allowed_key where worker_id = ?", ps -> ps.setString(1, id),
                    rs -> true).isPresent()) {
                return false;
            }
            Sql.update(c, "insert into muster_allowed_key (worker_id, public_key) values (?, ?)", ps -> {
                ps.setString(1, id);
                ps.setBytes(2, key.getEncoded());
            });
            return true;
        });
    }

    /** @return whether it was listed */
    boolean revoke(WorkerId worker) {
        return transactions.write("remove a key from the allowlist", c -> Sql.update(c,
                "delete from muster_allowed_key where worker_id = ?", ps -> ps.setString(1, worker.value())) > 0);
    }

    boolean isAllowed(WorkerId worker) {
        return transactions.read("read the allowlist", c -> Sql.queryOne(c,
                "select 1 from muster_allowed_key where worker_id = ?", ps -> ps.setString(1, worker.value()),
                rs -> true).isPresent());
    }
}
