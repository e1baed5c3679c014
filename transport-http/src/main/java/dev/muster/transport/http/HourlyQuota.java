package dev.muster.transport.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Map;

/**
 * A number of actions per key (a client address) and in all per clock hour, for actions rare
 * enough that a per-second rate cannot express them (signing up for an owner account). Counts of
 * past hours are forgotten; so are keys beyond a million, which then start again from none.
 */
final class HourlyQuota {
    private static final long HOUR_MILLIS = Duration.ofHours(1).toMillis();
    private static final String ALL = "";

    private final int perKey;
    private final int total;
    private final Cache<String, long[]> counts = Caffeine.newBuilder().expireAfterWrite(Duration.ofHours(2))
            .maximumSize(1_000_000).build();

    HourlyQuota(int perKey, int total) {
        this.perKey = perKey;
        this.total = total;
    }

    /**
     * Counts one action of {@code key} if both its quota and the total allow it.
     *
     * @param what what is limited, for the message: "sign-ups"
     * @throws HttpError 429, with the seconds to the next hour, if either quota is spent
     */
    synchronized void take(String key, String what, long nowMillis) {
        long hour = Math.floorDiv(nowMillis, HOUR_MILLIS);
        long[] mine = counts.get(key, k -> new long[] {hour, 0});
        long[] all = counts.get(ALL, k -> new long[] {hour, 0});
        for (long[] c : new long[][] {mine, all}) {
            if (c[0] != hour) {
                c[0] = hour;
                c[1] = 0;
            }
        }
        if (mine[1] >= perKey || all[1] >= total) {
            long wait = Math.max(1, ((hour + 1) * HOUR_MILLIS - nowMillis + 999) / 1000);
            throw new HttpError(429, HttpProblem.RATE_LIMITED, "too many " + what + " from "
                    + (mine[1] >= perKey ? "this address" : "all addresses") + " this hour; retry in " + wait + " s",
                    Map.of("retryAfter", wait));
        }
        mine[1]++;
        all[1]++;
    }
}
