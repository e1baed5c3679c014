package dev.muster.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Writes a batch of rows of one table by key. A table's written columns are declared once
 * ({@link Table}) and serve both ways of writing them; {@link Dialect#rowWrites()} picks the way:
 * one statement over arrays per batch ({@link #SET_BASED}, PostgreSQL's {@code unnest}), which the
 * server plans and runs once per batch rather than once per row, or a JDBC batch of one statement
 * per row ({@link #ROW_BY_ROW}), which an embedded database runs without a round trip per row
 * anyway.
 */
enum RowWrites {
    SET_BASED {
        @Override
        String sql(Table<?> table, boolean delete) {
            return delete ? table.setBasedDelete : table.setBasedUpdate;
        }

        @Override
        <T> void write(Connection c, String sql, List<Column<T>> columns, Collection<T> rows) throws SQLException {
            Object[][] arrays = new Object[columns.size()][];
            for (int i = 0; i < arrays.length; i++) {
                arrays[i] = columns.get(i).kind().array(rows.size());
            }
            int n = 0;
            for (T row : rows) {
                for (int i = 0; i < arrays.length; i++) {
                    arrays[i][n] = columns.get(i).value().apply(row);
                }
                n++;
            }
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < arrays.length; i++) {
                    ps.setArray(i + 1, c.createArrayOf(columns.get(i).kind().arrayType, arrays[i]));
                }
                ps.executeUpdate();
            }
        }
    },
    ROW_BY_ROW {
        @Override
        String sql(Table<?> table, boolean delete) {
            return delete ? table.rowDelete : table.rowUpdate;
        }

        @Override
        <T> void write(Connection c, String sql, List<Column<T>> columns, Collection<T> rows) throws SQLException {
            Sql.batch(c, sql, rows, (ps, row) -> {
                for (int i = 0; i < columns.size(); i++) {
                    Column<T> column = columns.get(i);
                    column.kind().bind(ps, i + 1, column.value().apply(row));
                }
            });
        }
    };

    /** @return the statement that updates or deletes rows of {@code table} this way */
    abstract String sql(Table<?> table, boolean delete);

    /** Runs {@code sql} over the rows, its parameters the {@code columns} of each row. */
    abstract <T> void write(Connection c, String sql, List<Column<T>> columns, Collection<T> rows)
            throws SQLException;

    /** Sets the written columns of each row, found by its key columns. */
    <T> void update(Connection c, Table<T> table, Collection<T> rows) throws SQLException {
        if (!rows.isEmpty()) {
            write(c, sql(table, false), table.valuesThenKeys, rows);
        }
    }

    /** Deletes each row, found by its key columns. */
    <T> void delete(Connection c, Table<T> table, Collection<T> rows) throws SQLException {
        if (!rows.isEmpty()) {
            write(c, sql(table, true), table.keys, rows);
        }
    }

    /** A column's SQL type, as an array element and as a parameter. */
    enum Kind {
        BIGINT("bigint", Types.BIGINT), INT("int4", Types.INTEGER), BOOL("bool", Types.BOOLEAN),
        VARCHAR("varchar", Types.VARCHAR), TEXT("text", Types.VARCHAR), BYTEA("bytea", Types.VARBINARY),
        FLOAT8("float8", Types.DOUBLE);

        final String arrayType;
        private final int sqlType;

        Kind(String arrayType, int sqlType) {
            this.arrayType = arrayType;
            this.sqlType = sqlType;
        }

        /** PgJDBC encodes a {@code bytea[]} from a {@code byte[][]} only. */
        Object[] array(int size) {
            return this == BYTEA ? new byte[size][] : new Object[size];
        }

        void bind(PreparedStatement ps, int index, Object value) throws SQLException {
            if (value == null) {
                ps.setNull(index, sqlType);
                return;
            }
            switch (this) {
                case BIGINT -> ps.setLong(index, (Long) value);
                case INT -> ps.setInt(index, (Integer) value);
                case BOOL -> ps.setBoolean(index, (Boolean) value);
                case VARCHAR, TEXT -> ps.setString(index, (String) value);
                case BYTEA -> ps.setBytes(index, (byte[]) value);
                case FLOAT8 -> ps.setDouble(index, (Double) value);
                default -> throw new IllegalStateException("unknown column kind " + this);
            }
        }
    }

    /** A column written from a row: its name, its type, and its value in the row. */
    record Column<T>(String name, Kind kind, Function<? super T, ?> value) {
    }

    /**
     * The columns one kind of write sets in a table: found by {@code keys}, set to {@code fixed}
     * (SQL assignments, the same for every row) and to {@code values}.
     */
    static final class Table<T> {
        final List<Column<T>> keys;
        /** The parameters of an update, both ways: the values set, then the key. */
        final List<Column<T>> valuesThenKeys;
        final String setBasedUpdate;
        final String setBasedDelete;
        final String rowUpdate;
        final String rowDelete;

        Table(String name, List<Column<T>> keys, String fixed, List<Column<T>> values) {
            this.keys = keys;
            List<Column<T>> all = new ArrayList<>(values);
            all.addAll(keys);
            this.valuesThenKeys = List.copyOf(all);
            String match = keys.stream().map(k -> "t." + k.name() + " = v." + k.name())
                    .collect(Collectors.joining(" and "));
            List<String> setBased = new ArrayList<>();
            List<String> byRow = new ArrayList<>();
            if (!fixed.isEmpty()) {
                setBased.add(fixed);
                byRow.add(fixed);
            }
            for (Column<T> v : values) {
                setBased.add(v.name() + " = v." + v.name());
                byRow.add(v.name() + " = ?");
            }
            String byKey = names(keys, " = ?", " and ");
            this.setBasedUpdate = "update " + name + " t set " + String.join(", ", setBased) + " from "
                    + unnest(valuesThenKeys) + " where " + match;
            this.setBasedDelete = "delete from " + name + " t using " + unnest(keys) + " where " + match;
            this.rowUpdate = "update " + name + " set " + String.join(", ", byRow) + " where " + byKey;
            this.rowDelete = "delete from " + name + " where " + byKey;
        }

        /** @return a table {@code v} of the columns, from one array parameter each */
        private static <T> String unnest(List<Column<T>> columns) {
            return "unnest(" + columns.stream().map(k -> "?::" + k.kind().arrayType + "[]")
                    .collect(Collectors.joining(", ")) + ") as v(" + names(columns, "", ", ") + ")";
        }

        private static <T> String names(List<Column<T>> columns, String suffix, String separator) {
            return columns.stream().map(k -> k.name() + suffix).collect(Collectors.joining(separator));
        }
    }
}
