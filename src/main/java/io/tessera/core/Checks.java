package io.tessera.core;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Currency;
import java.util.regex.Pattern;

/** Shared input rules: resource names, currencies, time zones, sane money bounds. */
public final class Checks {
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    public static final String NAME_RULE = "1-64 characters: letters, digits, '_', '.', '-', starting with a letter or digit";
    /** Ten billion major units: larger amounts are typos, and stay far from overflow in any arithmetic. */
    public static final long MAX_AMOUNT = 1_000_000_000_000L;
    public static final long MAX_QUANTITY = 1_000_000L;
    public static final Pattern ID = Pattern.compile("[^\\s/?#]{1,128}");
    /** Customer event types (and the {@code event:<type>} of rules listening to them): one rule for both sides. */
    public static final Pattern EVENT_TYPE = Pattern.compile("[a-z0-9_.:-]{1,64}");
    public static final String EVENT_TYPE_RULE = "1-64 characters: lower-case letters, digits, '_', '.', ':', '-'";
    /** A BCP 47 language tag as storefronts send it: {@code de}, {@code en-GB}, {@code zh-Hant-TW}. */
    public static final Pattern LOCALE = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}");
    public static final String LOCALE_RULE = "a language tag like de, en-GB or pt-BR";
    public static final String INSTANT_RULE = "must be an ISO-8601 UTC timestamp like 2026-11-30T23:59:59Z";

    private Checks() {
    }

    public static String currency(Input in, String field, boolean required) {
        String c = in.string(field, required);
        if (c == null) return null;
        if (!validCurrency(c)) {
            in.fail(field, "must be an ISO-4217 currency code like USD or EUR");
            return null;
        }
        return c;
    }

    public static boolean validCurrency(String c) {
        if (c.length() != 3 || !c.equals(c.toUpperCase(java.util.Locale.ROOT))) return false;
        try {
            Currency.getInstance(c);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** An ISO-8601 instant like {@code 2026-11-30T23:59:59Z}, or null when absent. */
    public static java.time.Instant instant(Input in, String field) {
        String s = in.string(field, false);
        if (s == null) return null;
        try {
            return java.time.Instant.parse(s);
        } catch (DateTimeException e) {
            in.fail(field, INSTANT_RULE);
            return null;
        }
    }

    public static ZoneId zone(Input in, String field) {
        String z = in.string(field, false);
        if (z == null) return null;
        try {
            return ZoneId.of(z);
        } catch (DateTimeException e) {
            in.fail(field, "must be an IANA time zone like Europe/Berlin");
            return null;
        }
    }
}
