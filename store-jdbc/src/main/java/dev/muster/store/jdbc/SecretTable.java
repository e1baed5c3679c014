package dev.muster.store.jdbc;

import dev.muster.spi.store.SharedSecrets;

/**
 * The secrets coordinators on one database agree on ({@code muster_secret}): the first value kept
 * under a name stays. Racing coordinators each insert-if-absent, then read what won.
 */
final class SecretTable {
    private final Transactions transactions;
    private final Dialect dialect;

    SecretTable(Transactions transactions, Dialect dialect) {
        this.transactions = transactions;
        this.dialect = dialect;
    }

    /** @return the kept secret, as {@link dev.muster.spi.store.Store#sharedSecret} describes */
    byte[] sharedSecret(String name, byte[] candidate) {
        SharedSecrets.check(name, candidate);
        return transactions.write("keep a shared secret", c -> {
            Sql.update(c, dialect.keepSecret(), ps -> {
                ps.setString(1, name);
                ps.setBytes(2, candidate);
            });
            return Sql.queryOne(c, "select secret from muster_secret where name = ?", ps -> ps.setString(1, name),
                    rs -> rs.getBytes(1)).orElseThrow(() -> new IllegalStateException("secret " + name
                            + " is missing right after it was kept"));
        });
    }
}
