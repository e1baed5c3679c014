package dev.muster.store.jdbc;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Run in a child process by tests: tries the operating-system lock on a file and exits 0 if it
 * got it (nobody else held it), 1 if another process holds it.
 */
public final class LockProbe {
    private LockProbe() {}

    /** @param args the file to try */
    public static void main(String[] args) throws Exception {
        try (FileChannel c = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = c.tryLock();
            System.exit(lock == null ? 1 : 0);
        }
    }

    /** @return whether a process other than this one could take the lock on {@code file} now */
    static boolean freeForAnotherProcess(Path file) throws Exception {
        String command = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(command, "-cp", System.getProperty("java.class.path"), LockProbe.class.getName(),
                file.toString()).redirectErrorStream(true).start();
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        return p.waitFor() == 0;
    }
}
