package io.tessera.campaign;

import io.tessera.core.Input;
import java.math.BigInteger;
import java.util.Locale;

/**
 * A unique-code pattern: each {@code #} is one random character of {@code charset}, everything else is literal.
 * Codes are stored upper-case, so the charset is upper-cased and must have no repeats.
 */
public record CodePattern(String pattern, String charset, int slots) {
    /** At most one code per this many possible ones, so a guessed code is almost never a real one. */
    public static final long SAFETY_FACTOR = 1000;

    public static CodePattern check(Input in, String pattern, String charset) {
        boolean ok = true;
        if (charset == null || charset.isEmpty()) {
            in.fail("charset", "must hold at least 2 characters");
            return null;
        }
        String cs = charset.toUpperCase(Locale.ROOT);
        if (cs.length() < 2 || cs.chars().distinct().count() != cs.length() || !cs.chars().allMatch(CodePattern::codeChar)) {
            in.fail("charset", "must hold 2 or more distinct letters or digits (case-insensitive)");
            ok = false;
        }
        String p = pattern.toUpperCase(Locale.ROOT);
        int slots = (int) p.chars().filter(ch -> ch == '#').count();
        if (slots == 0) {
            in.fail("pattern", "must contain at least one '#' (one random character)");
            ok = false;
        } else if (p.length() > 64 || !p.chars().allMatch(ch -> ch == '#' || codeChar(ch) || ch == '-' || ch == '_')) {
            in.fail("pattern", "must be at most 64 characters: '#', letters, digits, '-' or '_'");
            ok = false;
        } else if (p.charAt(0) == '-' || p.charAt(0) == '_') {
            // Like every code: a leading '-' would also make a spreadsheet read an exported code as a formula.
            in.fail("pattern", "must start with '#', a letter or a digit");
            ok = false;
        }
        return ok ? new CodePattern(p, cs, slots) : null;
    }

    /** A pattern that was validated before (stored with a campaign or a job). */
    public static CodePattern of(String pattern, String charset) {
        return new CodePattern(pattern, charset, (int) pattern.chars().filter(ch -> ch == '#').count());
    }

    private static boolean codeChar(int ch) {
        return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
    }

    /** How many distinct codes the pattern can make: charset^slots. */
    public BigInteger space() {
        return BigInteger.valueOf(charset.length()).pow(slots);
    }

    /** Why {@code count} more codes cannot be made safely, or null when they can. */
    public String refusal(long count) {
        BigInteger space = space();
        if (BigInteger.valueOf(count).multiply(BigInteger.valueOf(SAFETY_FACTOR)).compareTo(space) > 0) {
            return "pattern " + pattern + " allows " + charset.length() + "^" + slots + " = " + space
                    + " codes; " + count + " codes would make them guessable (at most 1 in " + SAFETY_FACTOR
                    + " of the space may be used): add '#' characters or a larger charset";
        }
        return null;
    }
}
