package io.tessera.user;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;

/** bcrypt (cost 12) password hashes. */
public final class Passwords {
    static final int COST = 12;
    /** bcrypt reads at most 72 bytes; longer passwords are refused rather than silently cut. */
    public static final int MAX_BYTES = 72;
    public static final int MIN_LENGTH = 10;
    /** Compared against when the email is unknown, so an unknown email costs as much time as a wrong password. */
    private static final String DUMMY = hash("not-a-password-of-anyone");

    private Passwords() {
    }

    public static String hash(String password) {
        return BCrypt.withDefaults().hashToString(COST, password.toCharArray());
    }

    public static boolean matches(String password, String hash) {
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) return false;
        return BCrypt.verifyer().verify(password.toCharArray(), hash == null ? DUMMY : hash).verified;
    }

    /** Why {@code password} is not acceptable, or null. */
    public static String problem(String password) {
        if (password == null || password.length() < MIN_LENGTH) return "at least " + MIN_LENGTH + " characters";
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) return "at most " + MAX_BYTES + " bytes";
        return null;
    }
}
