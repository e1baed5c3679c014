package dev.muster.spi;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * The credit of one worker or owner: all time, and day by day (UTC days) over a recent span.
 *
 * @param name    a worker id or an owner name
 * @param credit  credit granted for its accepted results, all time
 * @param results accepted results, all time
 * @param days    the days of the span that have credit, oldest first; days without credit are left out
 */
public record CreditHistory(String name, double credit, long results, List<Day> days) {
    /**
     * Copies the days.
     *
     * @param name    a worker id or an owner name; not null
     * @param credit  credit granted, all time
     * @param results accepted results, all time
     * @param days    the days with credit, oldest first; not null
     */
    public CreditHistory {
        Objects.requireNonNull(name, "name");
        days = List.copyOf(days);
    }

    /**
     * The credit of one UTC day.
     *
     * @param day     the day
     * @param credit  credit granted that day
     * @param results accepted results that day
     */
    public record Day(LocalDate day, double credit, long results) {
        /**
         * Checks the day.
         *
         * @param day     the UTC day; not null
         * @param credit  credit granted that day
         * @param results accepted results that day
         * @throws NullPointerException if the day is null
         */
        public Day {
            Objects.requireNonNull(day, "day");
        }
    }
}
