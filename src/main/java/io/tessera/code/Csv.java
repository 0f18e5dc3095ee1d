package io.tessera.code;

import io.tessera.campaign.CampaignParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The CSV of code export and import (RFC 4180: fields with a comma, quote or line break are quoted). Exported cells
 * that a spreadsheet would run as a formula (starting with {@code = + - @}, tab or carriage return; a customer id may)
 * are neutralised as OWASP advises: prefixed with {@code '} and quoted.
 */
final class Csv {
    private static final int MAX_SHOWN_VALUE = 100;

    static final String CODES_HEADER = "code,campaign,active,customer,redemptions,createdAt,publishedAt";

    private Csv() {
    }

    /** One line of a code export (see {@link #CODES_HEADER}). */
    static void writeCode(java.io.Writer w, CodeStore.Described d) throws java.io.IOException {
        CodeRow r = d.row();
        w.write(field(r.code()));
        w.write(',');
        w.write(field(d.campaign()));
        w.write(r.active() ? ",true," : ",false,");
        w.write(field(r.customerId()));
        w.write(',');
        w.write(Long.toString(r.redemptions()));
        w.write(',');
        w.write(String.valueOf(r.createdAt()));
        w.write(',');
        w.write(r.publishedAt() == null ? "" : r.publishedAt().toString());
        w.write('\n');
    }

    static String field(String value) {
        if (value == null || value.isEmpty()) return "";
        if (formula(value.charAt(0))) return '"' + "'" + value.replace("\"", "\"\"") + '"';
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0)
            return value;
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    private static boolean formula(char first) {
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
    }

    /**
     * An import: the distinct valid codes (upper-case, in file order), codes repeated within the file, and the
     * invalid lines ({@code line} is 1-based).
     */
    record Parsed(List<String> codes, List<String> repeated, List<Map<String, Object>> invalid) {
    }

    /**
     * Reads one code a line; only the first field counts, so an export can be imported again. A first line reading
     * {@code code} is a header. Blank lines are skipped.
     */
    static Parsed codes(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        List<String> codes = new ArrayList<>();
        List<String> repeated = new ArrayList<>();
        List<Map<String, Object>> invalid = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        boolean first = true;
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            String value = firstField(line.strip());
            if (value.isEmpty()) continue;
            if (first && value.equalsIgnoreCase("code")) {
                first = false;
                continue;
            }
            first = false;
            if (!CampaignParser.CODE.matcher(value).matches()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("line", lineNo);
                m.put("value", value.length() > MAX_SHOWN_VALUE ? value.substring(0, MAX_SHOWN_VALUE) + "…" : value);
                m.put("reason", "a code is 1-64 letters, digits, '-' or '_', starting with a letter or digit");
                invalid.add(m);
                continue;
            }
            String code = value.toUpperCase(Locale.ROOT);
            if (seen.add(code)) codes.add(code);
            else repeated.add(code);
        }
        return new Parsed(codes, repeated, invalid);
    }

    private static String firstField(String line) {
        if (line.startsWith("\"")) {
            int end = line.indexOf('"', 1);
            return end < 0 ? line : line.substring(1, end).strip();
        }
        int comma = line.indexOf(',');
        return (comma < 0 ? line : line.substring(0, comma)).strip();
    }
}
