package dev.muster.spi;

import java.security.PublicKey;

/**
 * A worker's request to join, with its proof of key possession: an Ed25519 signature by
 * {@code publicKey} over {@link SignedBytes#registration} of the other fields.
 *
 * @param publicKey           the worker's Ed25519 public key; its identity
 * @param owner               contributor account
 * @param capabilities        what it offers
 * @param clientBuild         digest of its client build
 * @param maxConcurrentLeases most leases it wants at once
 * @param challenge           a challenge from {@link CoordinatorApi#challenge()}
 * @param signature           the proof
 * @param ownerSecret         the owner account's secret, or null where owners are declared; it
 *                            proves the account, as the signature proves the key, and is not part
 *                            of the signed bytes
 */
public record Registration(
        PublicKey publicKey,
        String owner,
        Capabilities capabilities,
        String clientBuild,
        int maxConcurrentLeases,
        byte[] challenge,
        byte[] signature,
        String ownerSecret) {

    /**
     * Checks the registration's form and copies the arrays; the proof is checked by the coordinator.
     *
     * @param publicKey           the worker's Ed25519 public key; not null
     * @param owner               contributor account, at most {@link Limits#OWNER} characters
     * @param capabilities        what it offers; not null
     * @param clientBuild         digest of its client build, at most {@link Limits#CLIENT_BUILD} characters
     * @param maxConcurrentLeases from 1 to 100,000
     * @param challenge           1 to 256 bytes, copied
     * @param signature           1 to 256 bytes, copied
     * @param ownerSecret         null, or at most 256 characters
     * @throws InvalidRequestException if a field is missing or out of range
     */
    public Registration {
        Checks.notNull(publicKey, "publicKey");
        Limits.OWNER.text(owner);
        Checks.notNull(capabilities, "capabilities");
        Limits.CLIENT_BUILD.text(clientBuild);
        Checks.range(maxConcurrentLeases, "maxConcurrentLeases", 1, 100_000);
        challenge = Checks.notNull(challenge, "challenge").clone();
        signature = Checks.notNull(signature, "signature").clone();
        Checks.range(challenge.length, "challenge length", 1, 256);
        Checks.range(signature.length, "signature length", 1, 256);
        if (ownerSecret != null) {
            Checks.text(ownerSecret, "ownerSecret", 256);
        }
    }

    /**
     * A registration under a declared owner, without an account secret.
     *
     * @param publicKey           the worker's Ed25519 public key; not null
     * @param owner               contributor account, at most {@link Limits#OWNER} characters
     * @param capabilities        what it offers; not null
     * @param clientBuild         digest of its client build, at most {@link Limits#CLIENT_BUILD} characters
     * @param maxConcurrentLeases from 1 to 100,000
     * @param challenge           1 to 256 bytes, copied
     * @param signature           1 to 256 bytes, copied
     */
    public Registration(PublicKey publicKey, String owner, Capabilities capabilities, String clientBuild,
                        int maxConcurrentLeases, byte[] challenge, byte[] signature) {
        this(publicKey, owner, capabilities, clientBuild, maxConcurrentLeases, challenge, signature, null);
    }

    /**
     * Returns this registration carrying the owner account's secret.
     *
     * @param secret the owner account's secret, at most 256 characters, or null for none; it is not
     *               signed, so it can be added after the worker signed
     * @return this registration carrying the owner account's secret
     */
    public Registration withOwnerSecret(String secret) {
        return new Registration(publicKey, owner, capabilities, clientBuild, maxConcurrentLeases, challenge, signature,
                secret);
    }

    /** Leaves the owner secret out, so that logs never carry it. */
    @Override
    public String toString() {
        return "Registration[publicKey=" + WorkerId.of(publicKey) + ", owner=" + owner + ", capabilities="
                + capabilities + ", clientBuild=" + clientBuild + ", maxConcurrentLeases=" + maxConcurrentLeases
                + ", ownerSecret=" + (ownerSecret == null ? "none" : "(given)") + "]";
    }

    /**
     * Returns the bytes the signature must cover.
     *
     * @return the bytes the signature must cover
     */
    public byte[] signedBytes() {
        return SignedBytes.registration(challenge, publicKey, owner, capabilities, clientBuild, maxConcurrentLeases);
    }

    /**
     * Returns a copy of the challenge.
     *
     * @return a copy of the challenge
     */
    @Override
    public byte[] challenge() {
        return challenge.clone();
    }

    /**
     * Returns a copy of the signature.
     *
     * @return a copy of the signature
     */
    @Override
    public byte[] signature() {
        return signature.clone();
    }
}
