package io.sluice.engine.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets for storage with AES-256-GCM under a key the database never sees (from the environment): a random
 * 96-bit nonce per seal, a 128-bit tag, and the row's name as associated data, so that a sealed value copied to another
 * row does not open there. Sealed form: {@code v1:} and the base64 of nonce and ciphertext. Thread-safe.
 */
public final class KeySealer {
    private static final String PREFIX = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;

    private KeySealer(byte[] key) {
        if (key.length != 32) throw new IllegalArgumentException("the secrets key must be 32 bytes (256 bits), base64-encoded; it was " + key.length + " bytes");
        this.key = new SecretKeySpec(key, "AES");
    }

    /** A sealer under the base64 of 32 bytes, e.g. from {@code openssl rand -base64 32}. */
    public static KeySealer fromBase64(String base64) {
        try {
            return new KeySealer(Base64.getDecoder().decode(base64.strip()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().startsWith("the secrets key") ? e.getMessage() : "the secrets key is not base64");
        }
    }

    public String seal(String secret, String row) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(row.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** The secret sealed for {@code row}; an IllegalArgumentException when it was sealed under another key, for another row, or altered. */
    public String open(String sealed, String row) {
        if (!sealed.startsWith(PREFIX)) throw new IllegalArgumentException("not a sealed value");
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a sealed value");
        }
        if (bytes.length <= NONCE_BYTES) throw new IllegalArgumentException("not a sealed value");
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            cipher.updateAAD(row.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalArgumentException("sealed under another key, for another row, or altered");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }
}
