package dev.muster.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * How many jobs were decided in one hour: the series of the status page's charts.
 *
 * @param hour     the start of the hour (UTC), on the hour
 * @param accepted jobs accepted in that hour
 * @param failed   jobs that failed in that hour
 */
public record HourlyOutcomes(Instant hour, long accepted, long failed) {
    /**
     * Checks the hour.
     *
     * @param hour     the start of the hour (UTC); not null
     * @param accepted jobs accepted in that hour
     * @param failed   jobs that failed in that hour
     * @throws NullPointerException if the hour is null
     */
    public HourlyOutcomes {
        Objects.requireNonNull(hour, "hour");
    }
}
