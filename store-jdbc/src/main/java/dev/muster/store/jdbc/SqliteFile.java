package dev.muster.store.jdbc;

import dev.muster.spi.ConfigurationException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * The database file of a SQLite store, held by one store at a time. SQLite would let two
 * coordinators open one file, but the store runs its write transactions one at a time within a
 * process and leads housekeeping alone, so a second process would meet busy errors and run
 * housekeeping twice. The holder keeps an operating-system lock on {@code <file>.lock}, which the
 * system drops when the process ends, however it ends, so a killed coordinator never leaves the
 * file locked.
 */
final class SqliteFile implements AutoCloseable {
    private final Path database;
    private final FileChannel channel;
    private final FileLock lock;

    private SqliteFile(Path database, FileChannel channel, FileLock lock) {
        this.database = database;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Finds the file a {@code jdbc:sqlite:} URL names, creates its directory, and locks it.
     *
     * @throws ConfigurationException if the URL names no file (an in-memory database, which each
     *         pooled connection would see as a database of its own) or another store holds it
     */
    static SqliteFile lock(String url) {
        Path database = path(url);
        try {
            Path parent = database.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new ConfigurationException("cannot create the directory of the SQLite store " + database + ": "
                    + e.getMessage());
        }
        Path lockFile = database.resolveSibling(database.getFileName() + ".lock");
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new ConfigurationException("cannot open " + lockFile + " to lock the SQLite store: " + e.getMessage());
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new ConfigurationException("cannot lock " + lockFile + ": " + e.getMessage());
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new ConfigurationException("the SQLite store " + database + " is in use by another store (it holds "
                    + lockFile + "); a SQLite file serves one coordinator, several need PostgreSQL");
        }
        return new SqliteFile(database, channel, lock);
    }

    /** @return the database file named by a {@code jdbc:sqlite:} URL, with or without {@code file:} and parameters */
    static Path path(String url) {
        String rest = url.substring("jdbc:sqlite:".length());
        int query = rest.indexOf('?');
        String params = query < 0 ? "" : rest.substring(query + 1).toLowerCase(Locale.ROOT);
        String name = query < 0 ? rest : rest.substring(0, query);
        if (name.startsWith("file:")) {
            name = name.substring("file:".length());
        }
        if (name.isBlank() || name.equals(":memory:") || params.contains("mode=memory")) {
            throw new ConfigurationException("store.url must name a SQLite file, such as jdbc:sqlite:data/muster.db; an "
                    + "in-memory SQLite database is not supported (store=memory keeps everything in memory)");
        }
        return Path.of(name);
    }

    /** @return the database file */
    Path database() {
        return database;
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // the channel's close below releases it too
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing held remains: the lock goes with the channel
        }
    }
}
