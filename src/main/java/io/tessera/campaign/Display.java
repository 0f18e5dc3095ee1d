package io.tessera.campaign;

import io.tessera.core.Checks;
import io.tessera.core.Input;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a storefront shows for a campaign, per locale: {@code {"en": {"title": "…", "description": "…"}, "de": …}}.
 * Presentation only: the engine never sees it.
 */
public final class Display {
    static final int MAX_LOCALES = 50;
    static final int MAX_TEXTS = 20;
    static final int MAX_TEXT_LENGTH = 2000;

    private Display() {
    }

    /** Validates {@code display} (absent: null); texts keep the order they were sent in, so "the first" is stable. */
    static Map<String, Map<String, String>> read(Input in) {
        if (in.raw("display") == null) return null;
        Input d = in.object("display", false);
        if (d == null) return null;
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        int locales = 0;
        for (var it = d.node().fieldNames(); it.hasNext(); ) {
            String locale = it.next();
            if (++locales > MAX_LOCALES) {
                in.fail("display", "at most " + MAX_LOCALES + " locales");
                break;
            }
            if (!Checks.LOCALE.matcher(locale).matches()) {
                in.fail("display." + locale, "is not " + Checks.LOCALE_RULE);
                continue;
            }
            Input texts = d.object(locale, true);
            if (texts == null) continue;
            Map<String, String> entry = new LinkedHashMap<>();
            for (var t = texts.node().fields(); t.hasNext(); ) {
                var e = t.next();
                String field = "display." + locale + "." + e.getKey();
                if (entry.size() == MAX_TEXTS) {
                    in.fail("display." + locale, "at most " + MAX_TEXTS + " texts per locale");
                    break;
                }
                if (!e.getValue().isTextual()) in.fail(field, "must be a string");
                else if (e.getValue().textValue().length() > MAX_TEXT_LENGTH)
                    in.fail(field, "must be at most " + MAX_TEXT_LENGTH + " characters");
                else entry.put(e.getKey(), e.getValue().textValue());
            }
            if (texts.node().isEmpty()) in.fail("display." + locale, "must hold at least one text, e.g. a title");
            out.put(locale, Map.copyOf(entry));
        }
        if (locales == 0) in.fail("display", "must hold at least one locale, e.g. {\"en\": {\"title\": \"…\"}}");
        return out;
    }

    /**
     * The entry for {@code locale}, else for the project's {@code fallback}, else the first one; a tag also matches its
     * language ({@code de-AT} finds {@code de}). Null when the campaign has no display texts.
     */
    public static Map<String, String> pick(Map<String, Map<String, String>> display, String locale, String fallback) {
        if (display == null || display.isEmpty()) return null;
        for (String wanted : new String[]{locale, fallback}) {
            if (wanted == null) continue;
            Map<String, String> exact = find(display, wanted);
            if (exact != null) return exact;
            int dash = wanted.indexOf('-');
            if (dash > 0) {
                Map<String, String> language = find(display, wanted.substring(0, dash));
                if (language != null) return language;
            }
        }
        return display.values().iterator().next();
    }

    /** Locale tags are case-insensitive (en-gb is en-GB). */
    private static Map<String, String> find(Map<String, Map<String, String>> display, String tag) {
        String lower = tag.toLowerCase(Locale.ROOT);
        for (var e : display.entrySet()) if (e.getKey().toLowerCase(Locale.ROOT).equals(lower)) return e.getValue();
        return null;
    }
}
