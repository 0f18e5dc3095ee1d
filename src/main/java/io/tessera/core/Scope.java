package io.tessera.core;

import java.util.Locale;

/** API key scopes; {@code ADMIN} includes every other. */
public enum Scope {
    ADMIN, VALIDATE, REDEEM, READ;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Scope parse(String s) {
        for (Scope sc : values()) if (sc.value().equals(s)) return sc;
        return null;
    }
}
