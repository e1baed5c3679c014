package dev.muster.core;

import dev.muster.spi.ConfigurationException;
import dev.muster.spi.Durations;
import dev.muster.spi.Limits;
import java.time.Duration;

/** The builder's range checks, each failing with a message that names the setting and its value. */
final class SettingChecks {
    private SettingChecks() {}

    /** @return {@code value}, refused if null */
    static <T> T require(T value, String what) {
        if (value == null) {
            throw new ConfigurationException(what + " must not be null");
        }
        return value;
    }

    /** Checks the batch sizes, byte limits, lease limits and rates, naming each setting and its property. */
    static void limits(int maxLeaseBatch, int maxSubmitBatch, int maxReportBatch, int maxPayloadBytes,
                       int maxResultBytes, int ownerLeaseLimit, int rejectionsPerMinute, double workerLeaseRate,
                       double ownerLeaseRate) {
        atLeastOne(maxLeaseBatch, "maxLeaseBatch (lease.maxBatch)");
        atLeastOne(maxSubmitBatch, "maxSubmitBatch (submit.maxBatch)");
        atLeastOne(maxReportBatch, "maxReportBatch (report.maxBatch)");
        atLeastOne(maxPayloadBytes, "maxPayloadBytes (payload.maxBytes)");
        atLeastOne(maxResultBytes, "maxResultBytes (result.maxBytes)");
        atMost(maxPayloadBytes, Limits.PAYLOAD_BYTES, "maxPayloadBytes (payload.maxBytes)");
        atMost(maxResultBytes, Limits.RESULT_BYTES, "maxResultBytes (result.maxBytes)");
        atLeastOne(ownerLeaseLimit, "ownerLeaseLimit (owner.maxLeases)");
        atLeastOne(rejectionsPerMinute, "rejectionsPerMinute (rejections.perMinute)");
        rate(workerLeaseRate, "workerLeaseRate (worker.leaseRate)");
        rate(ownerLeaseRate, "ownerLeaseRate (owner.leaseRate)");
    }

    static void positive(Duration d, String name) {
        if (d.isZero() || d.isNegative()) {
            throw new ConfigurationException(name + " must be positive, was " + Durations.format(d));
        }
    }

    static void rate(double perSecond, String name) {
        if (!(perSecond >= 0) || Double.isInfinite(perSecond) || (perSecond > 0 && perSecond < 1)) {
            throw new ConfigurationException(name + " must be 0 (no limit) or at least 1 job per second, was "
                    + perSecond);
        }
    }

    /** Sizes the stores are tested to hold; see {@link Limits}. */
    static void atMost(int n, Limits ceiling, String name) {
        if (n > ceiling.max()) {
            throw new ConfigurationException(name + " must be at most " + ceiling.max() + " bytes, was " + n);
        }
    }

    static void atLeastOne(int n, String name) {
        if (n < 1) {
            throw new ConfigurationException(name + " must be at least 1, was " + n);
        }
    }

    static void between(Duration d, Duration min, Duration max, String name) {
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new ConfigurationException(name + " must be from " + Durations.format(min) + " to "
                    + Durations.format(max) + ", was " + Durations.format(d));
        }
    }

    /** Checks the durations that pace the coordinator against each other. */
    static void timing(Duration heartbeatInterval, Duration offlineAfter, Duration challengeTtl, Duration purgeAfter,
                       Duration housekeepingInterval) {
        positive(heartbeatInterval, "heartbeatInterval (heartbeat.interval)");
        positive(challengeTtl, "challengeTtl (challenge.ttl)");
        if (offlineAfter.compareTo(heartbeatInterval) <= 0) {
            throw new ConfigurationException("offlineAfter (offline.after, " + Durations.format(offlineAfter)
                    + ") must be longer than heartbeatInterval (heartbeat.interval, "
                    + Durations.format(heartbeatInterval) + ")");
        }
        if (purgeAfter.isNegative()) {
            throw new ConfigurationException("purgeAfter (purge.after) must not be negative, was "
                    + Durations.format(purgeAfter));
        }
        if (housekeepingInterval.isNegative()) {
            throw new ConfigurationException("housekeepingInterval (housekeeping.interval) must not be negative, was "
                    + Durations.format(housekeepingInterval));
        }
    }
}
