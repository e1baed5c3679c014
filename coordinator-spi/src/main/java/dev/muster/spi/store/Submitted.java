package dev.muster.spi.store;

import dev.muster.spi.Job;

/**
 * The outcome of storing one {@link NewJob}.
 *
 * @param job     the stored job: new, or the earlier one it duplicates
 * @param created false when an earlier job was returned instead
 */
public record Submitted(Job job, boolean created) {}
