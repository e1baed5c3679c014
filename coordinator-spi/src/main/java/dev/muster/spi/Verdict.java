package dev.muster.spi;

/**
 * What a {@link Validator} decided about one result.
 *
 * @param valid  whether the result is well-formed and plausible
 * @param reason why it is not, or empty; a longer reason than {@link Limits#VERDICT_REASON} is truncated
 */
public record Verdict(boolean valid, String reason) {
    private static final Verdict VALID = new Verdict(true, "");

    /**
     * Checks the verdict and fits the reason to {@link Limits#VERDICT_REASON}.
     *
     * @param valid  whether the result is acceptable
     * @param reason why not; not null, not blank for an invalid verdict
     * @throws InvalidRequestException if the reason is null, or blank for an invalid verdict
     */
    public Verdict {
        reason = Limits.VERDICT_REASON.fit(Checks.notNull(reason, "reason"));
        if (!valid && reason.isBlank()) {
            throw new InvalidRequestException("an invalid verdict must say why");
        }
    }

    /**
     * Returns the valid verdict.
     *
     * @return the valid verdict
     */
    public static Verdict ok() {
        return VALID;
    }

    /**
     * Returns an invalid verdict with {@code reason}.
     *
     * @param reason why the result is not acceptable, not blank; truncated to {@link Limits#VERDICT_REASON}
     * @return an invalid verdict with {@code reason}
     * @throws InvalidRequestException if the reason is null or blank
     */
    public static Verdict invalid(String reason) {
        return new Verdict(false, reason);
    }
}
