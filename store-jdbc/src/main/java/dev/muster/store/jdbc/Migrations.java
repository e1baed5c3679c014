package dev.muster.store.jdbc;

import dev.muster.spi.ConfigurationException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the store's versioned schema migrations with Flyway at start: one script per version for
 * PostgreSQL and H2, with placeholders for what they spell differently, and SQLite's own scripts
 * of the same versions (it lacks sequences, identity columns and {@code ALTER COLUMN}). Flyway takes a database
 * lock while it migrates, so coordinators starting together apply each version once; and it
 * refuses a database that holds versions this build does not know (a newer schema), rather than
 * running against tables it does not understand.
 */
final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
    /** Flyway's history table, named after the store so it cannot collide with an application's own. */
    static final String HISTORY_TABLE = "muster_schema_history";

    private Migrations() {}

    static void apply(DataSource dataSource, Dialect dialect) {
        Flyway flyway = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(dialect.migrations)
                .placeholders(dialect.placeholders)
                .table(HISTORY_TABLE)
                .baselineOnMigrate(false)
                .validateOnMigrate(true)
                .ignoreMigrationPatterns(new String[0])
                .loggers("slf4j")
                .load();
        try {
            MigrateResult result = flyway.migrate();
            if (result.migrationsExecuted > 0) {
                LOG.info("store schema migrated to version {} ({} migrations applied)", result.targetSchemaVersion,
                        result.migrationsExecuted);
            }
        } catch (FlywayException e) {
            throw new ConfigurationException("the store's database schema cannot be used by this version of Muster: "
                    + e.getMessage());
        }
    }
}
