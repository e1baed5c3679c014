package dev.muster.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * How a table of the store runs its statements: in one transaction of the store's, with its retry
 * and outage rules (see {@link StoreTransactions}), so that a class per table need not know them.
 */
interface Transactions {

    /** Statements run in one transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** @return what {@code work} returned, after its transaction, which writes, committed */
    <T> T write(String what, Work<T> work);

    /** @return what {@code work} returned, run in a transaction that only reads */
    <T> T read(String what, Work<T> work);
}
