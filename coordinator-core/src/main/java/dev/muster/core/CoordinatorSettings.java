package dev.muster.core;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Set;
import java.util.random.RandomGenerator;

/** A coordinator's frozen settings; see {@link CoordinatorBuilder} for meanings and defaults. */
record CoordinatorSettings(InstantSource clock, boolean signatures, Duration heartbeatInterval, Duration offlineAfter,
                           Duration housekeepingInterval, int maxLeaseBatch, int maxSubmitBatch, int maxReportBatch,
                           int maxPayloadBytes, int maxResultBytes, int ownerLeaseLimit, double workerLeaseRate,
                           double ownerLeaseRate, Set<String> allowedClientBuilds, Duration purgeAfter,
                           int rejectionsPerMinute, Duration maxLongPoll, RandomGenerator random,
                           boolean verifiedOwners, boolean openSignUp, int newKeysPerOwnerHour,
                           Instrumentation instrumentation) {}
