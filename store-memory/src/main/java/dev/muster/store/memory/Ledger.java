package dev.muster.store.memory;

import dev.muster.spi.CreditEntry;
import dev.muster.spi.CreditHistory;
import dev.muster.spi.LeaderboardEntry;
import dev.muster.spi.LeaderboardScope;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Credit totals per worker and per owner, all time and in hourly buckets for recent windows.
 * Buckets older than the retention are dropped, so memory stays bounded however long the pool
 * runs. Not thread-safe: the store's lock guards it.
 */
final class Ledger {
    private static final long HOUR_MILLIS = 3_600_000L;

    private static final class Total {
        double credit;
        long results;
    }

    private final Map<String, Total> workers = new HashMap<>();
    private final Map<String, Total> owners = new HashMap<>();
    private final TreeMap<Long, Bucket> hourly = new TreeMap<>();

    /** Totals of one hour, per scope. */
    private static final class Bucket {
        final Map<String, Total> workers = new HashMap<>();
        final Map<String, Total> owners = new HashMap<>();

        Map<String, Total> of(LeaderboardScope scope) {
            return scope == LeaderboardScope.WORKER ? workers : owners;
        }
    }
    private final long retentionHours;

    Ledger(long retentionHours) {
        this.retentionHours = retentionHours;
    }

    void add(CreditEntry e) {
        add(workers, e.worker().value(), e.amount());
        add(owners, e.owner(), e.amount());
        long hour = Math.floorDiv(e.at().toEpochMilli(), HOUR_MILLIS);
        Bucket bucket = hourly.get(hour);
        if (bucket == null) {
            bucket = new Bucket();
            hourly.put(hour, bucket);
            while (hourly.firstKey() < hour - retentionHours) {
                hourly.pollFirstEntry();
            }
        }
        add(bucket.workers, e.worker().value(), e.amount());
        add(bucket.owners, e.owner(), e.amount());
    }

    private static void add(Map<String, Total> totals, String name, double amount) {
        Total t = totals.computeIfAbsent(name, k -> new Total());
        t.credit += amount;
        t.results++;
    }

    /** Takes back an entry {@link #add} counted, from the totals and from its hour if that is still kept. */
    void remove(CreditEntry e) {
        remove(workers, e.worker().value(), e.amount());
        remove(owners, e.owner(), e.amount());
        Bucket bucket = hourly.get(Math.floorDiv(e.at().toEpochMilli(), HOUR_MILLIS));
        if (bucket != null) {
            remove(bucket.workers, e.worker().value(), e.amount());
            remove(bucket.owners, e.owner(), e.amount());
        }
    }

    private static void remove(Map<String, Total> totals, String name, double amount) {
        Total t = totals.get(name);
        if (t == null) {
            return;
        }
        t.credit -= amount;
        t.results--;
        if (t.results <= 0) {
            totals.remove(name);
        }
    }

    /** @return the credit of {@code name}, all time and per UTC day of the hours still kept from {@code fromDay} on; null if it has none */
    CreditHistory history(LeaderboardScope scope, String name, LocalDate fromDay) {
        Total all = (scope == LeaderboardScope.WORKER ? workers : owners).get(name);
        if (all == null) {
            return null;
        }
        long fromHour = fromDay.toEpochDay() * 24;
        TreeMap<LocalDate, Total> days = new TreeMap<>();
        for (Map.Entry<Long, Bucket> hour : hourly.tailMap(fromHour, true).entrySet()) {
            Total t = hour.getValue().of(scope).get(name);
            if (t != null) {
                Total day = days.computeIfAbsent(LocalDate.ofEpochDay(Math.floorDiv(hour.getKey(), 24)), k -> new Total());
                day.credit += t.credit;
                day.results += t.results;
            }
        }
        List<CreditHistory.Day> out = new ArrayList<>(days.size());
        days.forEach((day, t) -> out.add(new CreditHistory.Day(day, t.credit, t.results)));
        return new CreditHistory(name, all.credit, all.results, out);
    }

    List<LeaderboardEntry> top(LeaderboardScope scope, Instant since, int limit) {
        Map<String, Total> totals;
        if (since == null) {
            totals = scope == LeaderboardScope.WORKER ? workers : owners;
        } else {
            totals = new HashMap<>();
            long fromHour = Math.floorDiv(since.toEpochMilli(), HOUR_MILLIS);
            for (Bucket bucket : hourly.tailMap(fromHour, true).values()) {
                for (Map.Entry<String, Total> e : bucket.of(scope).entrySet()) {
                    Total t = totals.computeIfAbsent(e.getKey(), k -> new Total());
                    t.credit += e.getValue().credit;
                    t.results += e.getValue().results;
                }
            }
        }
        List<Map.Entry<String, Total>> rows = new ArrayList<>(totals.entrySet());
        rows.sort(Comparator.<Map.Entry<String, Total>>comparingDouble(e -> -e.getValue().credit)
                .thenComparing(Map.Entry::getKey));
        List<LeaderboardEntry> out = new ArrayList<>(Math.min(limit, rows.size()));
        for (int i = 0; i < rows.size() && i < limit; i++) {
            Total t = rows.get(i).getValue();
            out.add(new LeaderboardEntry(i + 1, rows.get(i).getKey(), t.credit, t.results));
        }
        return out;
    }
}
