package dev.muster.spi;

/**
 * Identifier of a job, assigned by the store. Value-based.
 *
 * @param value positive number, unique within one store
 */
public record JobId(long value) implements Comparable<JobId> {
    /**
     * Checks the value.
     *
     * @param value positive number
     * @throws InvalidRequestException if {@code value} is not positive
     */
    public JobId {
        if (value <= 0) {
            throw new InvalidRequestException("job id must be positive, was " + value);
        }
    }

    /**
     * Returns the id with the given value.
     *
     * @param value positive number
     * @return the id with the given value
     * @throws InvalidRequestException if {@code value} is not positive
     */
    public static JobId of(long value) {
        return new JobId(value);
    }

    /**
     * Parses the form printed by {@link #toString()}.
     *
     * @param text a positive decimal number, as {@link #toString()} prints it
     * @return the id
     * @throws InvalidRequestException if {@code text} is not a positive decimal number
     */
    public static JobId parse(String text) {
        Checks.text(text, "job id", 20);
        try {
            return new JobId(Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("job id must be a positive decimal number, was '" + text + "'");
        }
    }

    @Override
    public int compareTo(JobId other) {
        return Long.compare(value, other.value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
