package dev.muster.spi;

/**
 * A new owner account's name and secret, shown once: the coordinator keeps only the secret's
 * hash, so a lost secret means a new account.
 *
 * @param name   the account's name
 * @param secret the secret its workers present at registration
 */
public record OwnerCredentials(String name, String secret) {
    /**
     * Checks the credentials.
     *
     * @param name   the account's name; not null
     * @param secret the secret; not null
     * @throws InvalidRequestException if a field is missing
     */
    public OwnerCredentials {
        Checks.notNull(name, "name");
        Checks.notNull(secret, "secret");
    }

    /** Leaves the secret out, so that logs never carry it. */
    @Override
    public String toString() {
        return "OwnerCredentials[name=" + name + "]";
    }
}
