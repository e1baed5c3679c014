package dev.muster.transport.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Keeps a copy of what is written to {@code System.err} meanwhile (slf4j-simple writes to the
 * current {@code System.err}), to check that a client's bad input logged no ERROR and no stack trace.
 */
final class StderrCapture {
    private final PrintStream original;
    private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

    private StderrCapture() {
        original = System.err;
        System.setErr(new PrintStream(new Tee(original, copy), true, StandardCharsets.UTF_8));
    }

    static StderrCapture start() {
        return new StderrCapture();
    }

    void stop() {
        System.setErr(original);
    }

    /** @return everything written to standard error since {@link #start()} */
    String logged() {
        synchronized (copy) {
            return copy.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * Nothing at ERROR, and no stack trace logged by Muster's own code at any level. A stack trace
     * Jetty logs at WARN for a fault of its own is let through: its HTTP/1 connection sometimes
     * releases a request buffer twice under load (jetty/jetty.project#12939, seen once in 123,000
     * fuzzed requests), which is neither a client's input nor Muster's doing.
     */
    void assertNoErrors() {
        String logged;
        synchronized (copy) {
            logged = copy.toString(StandardCharsets.UTF_8);
        }
        assertTrue(!logged.contains(" ERROR "), "a client's bad input logged an ERROR:\n" + logged);
        String logger = "";
        for (String line : logged.split("\n")) {
            if (line.startsWith("[")) {
                logger = line;
            } else if (line.startsWith("\tat ")) {
                assertTrue(!logger.contains(" dev.muster."), "Muster logged a stack trace:\n" + logged);
            }
        }
    }

    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final ByteArrayOutputStream b;

        Tee(OutputStream a, ByteArrayOutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            synchronized (b) {
                b.write(c);
            }
        }

        @Override
        public void write(byte[] bytes, int off, int len) throws IOException {
            a.write(bytes, off, len);
            synchronized (b) {
                b.write(bytes, off, len);
            }
        }
    }
}
