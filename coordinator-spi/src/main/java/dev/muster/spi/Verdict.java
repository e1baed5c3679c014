package dev.muster.spi;

/**
 * What a {@link Validator} decided about one result.
 *
 * @param valid  whether the result is well-formed and plausible
 * @param reason why it is not, or empty; a longer reason than {@link Limits#VERDICT_REASON} is truncated
 */
public record Verdict(boolean valid, String reason) {
    private static final Verdict VALID = new Verdict(true, "");

    /** @throws InvalidRequestException if the reason is null, or blank for an invalid verdict */
    public Verdict {
        reason = Limits.VERDICT_REASON.fit(Checks.notNull(reason, "reason"));
        if (!valid && reason.isBlank()) {
            throw new InvalidRequestException("an invalid verdict must say why");
        }
    }

    /** @return the valid verdict */
    public static Verdict ok() {
        return VALID;
    }

    /** @return an invalid verdict with {@code reason} */
    public static Verdict invalid(String reason) {
        return new Verdict(false, reason);
    }
}
