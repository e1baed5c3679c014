package dev.muster.store.jdbc;

import dev.muster.spi.OwnerAccount;
import dev.muster.spi.OwnerState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Owner accounts ({@code muster_owner_account}): created once, read by name, banned, listed in name order. */
final class OwnerTable {
    private static final String COLUMNS = "name, secret_hash, state, reason, created_ns";

    private final Transactions transactions;
    private final Dialect dialect;

    OwnerTable(Transactions transactions, Dialect dialect) {
        this.transactions = transactions;
        this.dialect = dialect;
    }

    boolean create(OwnerAccount a) {
        return transactions.write("create an owner account", c -> Sql.update(c, dialect.createOwnerAccount(), ps -> {
            ps.setString(1, a.name());
            ps.setString(2, a.secretHash());
            ps.setString(3, a.state().name());
            ps.setString(4, a.reason());
            ps.setLong(5, Nanos.of(a.createdAt()));
        }) == 1);
    }

    Optional<OwnerAccount> get(String name) {
        return transactions.read("read an owner account", c -> Sql.queryOne(c, "select " + COLUMNS
                + " from muster_owner_account where name = ?", ps -> ps.setString(1, name), OwnerTable::row));
    }

    Optional<OwnerAccount> setState(String name, OwnerState state, String reason) {
        return transactions.write("change an owner account", c -> {
            Sql.update(c, "update muster_owner_account set state = ?, reason = ? where name = ?", ps -> {
                ps.setString(1, state.name());
                ps.setString(2, dev.muster.spi.Limits.BAN_REASON.fit(reason));
                ps.setString(3, name);
            });
            return Sql.queryOne(c, "select " + COLUMNS + " from muster_owner_account where name = ?",
                    ps -> ps.setString(1, name), OwnerTable::row);
        });
    }

    List<OwnerAccount> list(String afterName, int limit) {
        return transactions.read("list owner accounts", c -> Sql.query(c, "select " + COLUMNS
                + " from muster_owner_account where name > ? order by name limit ?", ps -> {
                    ps.setString(1, afterName == null ? "" : afterName);
                    ps.setInt(2, Math.max(0, limit));
                }, OwnerTable::row));
    }

    private static OwnerAccount row(ResultSet rs) throws SQLException {
        return new OwnerAccount(rs.getString(1), rs.getString(2), OwnerState.valueOf(rs.getString(3)),
                rs.getString(4), Nanos.instant(rs.getLong(5)));
    }
}
