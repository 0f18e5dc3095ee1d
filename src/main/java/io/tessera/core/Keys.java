package io.tessera.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** API key secrets: 192 random bits, shown once, stored only as a SHA-256 hash. */
public final class Keys {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Cloned per hash: a clone is a copy of its state, while getInstance looks the provider up again every call. */
    private static final MessageDigest SHA_256;

    static {
        try {
            SHA_256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Keys() {
    }

    public static String newSecret(String prefix) {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return prefix + HexFormat.of().formatHex(b);
    }

    public static String hash(String secret) {
        return hash(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** As {@link #hash(String)}, of the text's UTF-8 bytes. */
    public static String hash(byte[] utf8) {
        try {
            byte[] d = ((MessageDigest) SHA_256.clone()).digest(utf8);
            return HexFormat.of().formatHex(d);
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }
}
