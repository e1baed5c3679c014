package dev.muster.core;

import dev.muster.spi.InvalidRequestException;
import java.io.IOException;
import java.security.KeyPair;
import java.security.PublicKey;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Ed25519 through BouncyCastle's low-level API, about twenty times faster than the JDK provider
 * on these machines (see DESIGN section 5). Keys arrive as plain {@code java.security} keys in
 * standard encodings, so nothing outside the engine sees BouncyCastle types.
 */
final class Signatures {
    private static final int SIGNATURE_LENGTH = Ed25519PrivateKeyParameters.SIGNATURE_SIZE;

    private Signatures() {}

    static Ed25519PublicKeyParameters publicKey(PublicKey key) {
        try {
            AsymmetricKeyParameter p = PublicKeyFactory.createKey(key.getEncoded());
            if (p instanceof Ed25519PublicKeyParameters ed) {
                return ed;
            }
        } catch (IOException | RuntimeException e) {
            throw new InvalidRequestException("public key is not an X.509-encoded Ed25519 key");
        }
        throw new InvalidRequestException("public key is not an Ed25519 key");
    }

    static boolean verify(Ed25519PublicKeyParameters key, byte[] message, byte[] signature) {
        if (signature.length != SIGNATURE_LENGTH) {
            return false;
        }
        return key.verify(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0);
    }

    /** Signs with the coordinator's key. Thread-safe: BouncyCastle's key parameters hold no mutable state. */
    static final class Signer {
        private final Ed25519PrivateKeyParameters privateKey;

        Signer(KeyPair pair) {
            try {
                AsymmetricKeyParameter p = PrivateKeyFactory.createKey(pair.getPrivate().getEncoded());
                if (!(p instanceof Ed25519PrivateKeyParameters ed)) {
                    throw new IllegalArgumentException("signing key is not an Ed25519 key");
                }
                this.privateKey = ed;
            } catch (IOException e) {
                throw new IllegalArgumentException("signing key is not a PKCS#8-encoded Ed25519 key", e);
            }
        }

        byte[] sign(byte[] message) {
            byte[] sig = new byte[SIGNATURE_LENGTH];
            privateKey.sign(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, sig, 0);
            return sig;
        }
    }
}
