package dev.muster.core;

import dev.muster.spi.InvalidRequestException;
import java.time.Duration;
import java.time.Instant;

/** The window a leaderboard counts credit in, checked so that no window can reach outside what an instant holds. */
final class LeaderboardWindow {
    /** Longest window: about a century, far inside what an instant minus a duration can hold. */
    static final Duration MAX = Duration.ofDays(36_525);

    private LeaderboardWindow() {}

    /**
     * @param window how far back to count, or null for all time
     * @return where counting starts, or null for all time
     * @throws InvalidRequestException if the window is not positive or longer than {@link #MAX}
     */
    static Instant since(Duration window, Instant now) {
        if (window == null) {
            return null;
        }
        if (window.isNegative() || window.isZero()) {
            throw new InvalidRequestException("leaderboard window must be positive, was " + window);
        }
        if (window.compareTo(MAX) > 0) {
            // A longer window could take the start before Instant.MIN (a DateTimeException, not a bad request).
            throw new InvalidRequestException("leaderboard window is " + window + "; the longest is " + MAX.toDays()
                    + " days (" + MAX + ")");
        }
        return now.minus(window);
    }
}
