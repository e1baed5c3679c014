package dev.muster.store.jdbc;

import dev.muster.spi.ConfigurationException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The database file of a SQLite store, held by one store at a time. SQLite would let two
 * coordinators open one file, but the store runs its write transactions one at a time within a
 * process and leads housekeeping alone, so a second process would meet busy errors and run
 * housekeeping twice.
 *
 * <p>The file is named by a plain path (no {@code file:} URI, no {@code :memory:} or
 * {@code :resource:} name), resolved by the operating system to the real file: symbolic links and
 * {@code ..} are followed, and the store hands SQLite that real path, so the file locked and the
 * file SQLite opens are one. The holder keeps an operating-system lock on {@code <file>.lock},
 * which the system drops when the process ends, however it ends, so a killed coordinator never
 * leaves the file locked; within one JVM a registry of held files refuses a second store before
 * it opens the lock file at all (closing a second channel on a locked file would drop the
 * process's lock on some systems).
 *
 * <p>{@link #intact()} tells whether the file is still the one the store opened: a database file
 * deleted or replaced under a running store takes commits into a file nobody will read again.
 */
final class SqliteFile implements AutoCloseable {
    /** Real paths of the database files held by stores of this JVM. */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path database;
    private final FileChannel channel;
    private final FileLock lock;
    private final Object fileKey;

    private SqliteFile(Path database, FileChannel channel, FileLock lock, Object fileKey) {
        this.database = database;
        this.channel = channel;
        this.lock = lock;
        this.fileKey = fileKey;
    }

    /**
     * Finds the file a {@code jdbc:sqlite:} URL names, creates it and its directory, and locks it.
     *
     * @throws ConfigurationException if the URL names no plain file (an in-memory or resource
     *         database, which each pooled connection would see as a database of its own), the
     *         file cannot be created, or another store holds it
     */
    static SqliteFile lock(String url) {
        Path named = path(url);
        Path database = realFile(named);
        if (!HELD.add(database)) {
            throw inUse(database);
        }
        try {
            return lockHeld(database);
        } catch (RuntimeException e) {
            HELD.remove(database);
            throw e;
        }
    }

    private static SqliteFile lockHeld(Path database) {
        Path lockFile = database.resolveSibling(database.getFileName() + ".lock");
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new ConfigurationException("cannot open " + lockFile + " to lock the SQLite store: " + reason(e));
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (IOException e) {
            closeQuietly(channel);
            throw new ConfigurationException("cannot lock " + lockFile + ": " + reason(e));
        }
        if (lock == null) {
            closeQuietly(channel);
            throw inUse(database);
        }
        try {
            if (!Files.exists(database)) {
                // Created here so that the file SQLite opens is the one whose identity is kept.
                Files.createFile(database);
            }
            Object key = Files.readAttributes(database, BasicFileAttributes.class).fileKey();
            return new SqliteFile(database, channel, lock, key);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new ConfigurationException("cannot create the SQLite store " + database + ": " + reason(e));
        }
    }

    private static ConfigurationException inUse(Path database) {
        return new ConfigurationException("the SQLite store " + database + " is in use by another store (it holds "
                + database.getFileName() + ".lock); a SQLite file serves one coordinator, several need PostgreSQL");
    }

    /**
     * @return the path SQLite is to open: the named file's real path, through symbolic links and
     *         {@code ..}, with its directory created
     */
    private static Path realFile(Path named) {
        Path absolute = named.toAbsolutePath();
        Path name = absolute.getFileName();
        if (name == null) {
            throw new ConfigurationException("store.url must name a SQLite file, not " + named);
        }
        try {
            if (Files.isSymbolicLink(absolute) || Files.exists(absolute)) {
                absolute = absolute.toRealPath();
                if (Files.isDirectory(absolute)) {
                    throw new ConfigurationException("store.url names " + named + ", which is a directory, not a "
                            + "SQLite file; name a file in it, such as " + named.resolve("muster.db"));
                }
                return absolute;
            }
            Path parent = Files.createDirectories(absolute.getParent()).toRealPath();
            return parent.resolve(name);
        } catch (IOException e) {
            throw new ConfigurationException("cannot create the directory of the SQLite store " + named + ": "
                    + reason(e));
        }
    }

    /** @return the file named by a {@code jdbc:sqlite:} URL (parameters after {@code ?} aside) */
    static Path path(String url) {
        String rest = url.substring("jdbc:sqlite:".length());
        int query = rest.indexOf('?');
        String params = query < 0 ? "" : rest.substring(query + 1).toLowerCase(Locale.ROOT);
        String name = query < 0 ? rest : rest.substring(0, query);
        if (name.isBlank() || name.startsWith(":") || params.contains("mode=memory")) {
            throw new ConfigurationException("store.url must name a SQLite file, such as jdbc:sqlite:data/muster.db; an "
                    + "in-memory or resource SQLite database is not supported (store=memory keeps everything in memory)");
        }
        if (name.regionMatches(true, 0, "file:", 0, 5)) {
            throw new ConfigurationException("store.url must name a SQLite file by its path, such as "
                    + "jdbc:sqlite:/var/lib/muster/muster.db, not as a file: URI (its escapes and host part would let "
                    + "two stores open one file under different names)");
        }
        return Path.of(name);
    }

    /** @return what went wrong with a file, in words (an exception's message is often only the path) */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof NotDirectoryException || e instanceof java.nio.file.FileAlreadyExistsException) {
            return "a file is in the way of a directory";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName());
    }

    /** @return the real path of the database file, the one SQLite opens */
    Path database() {
        return database;
    }

    /** @return whether the database file is still where it was, and the same file the store opened */
    boolean intact() {
        try {
            return Objects.equals(fileKey, Files.readAttributes(database, BasicFileAttributes.class).fileKey());
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // the channel's close below releases it too
        }
        closeQuietly(channel);
        HELD.remove(database);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing held remains: the lock goes with the channel
        }
    }
}
