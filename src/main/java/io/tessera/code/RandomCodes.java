package io.tessera.code;

import io.tessera.campaign.CodePattern;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Draws codes of one pattern from a {@link SecureRandom}, fast enough for millions: random bytes are fetched in bulk
 * (one call per 8 KiB instead of one per character) and mapped to the charset by rejection sampling, so every
 * character stays uniformly distributed. Not thread-safe: one instance per generating thread.
 */
public final class RandomCodes {
    private final char[] template;
    private final int[] slots;
    private final char[] charset;
    private final int acceptBelow;
    private final SecureRandom random;
    private final byte[] buffer = new byte[8192];
    private int position = buffer.length;

    public RandomCodes(CodePattern pattern, SecureRandom random) {
        this.template = pattern.pattern().toCharArray();
        this.charset = pattern.charset().toCharArray();
        this.random = random;
        // The largest multiple of the charset size that fits in a byte: bytes at or above it are drawn again.
        this.acceptBelow = 256 - 256 % charset.length;
        int n = 0;
        for (char c : template) if (c == '#') n++;
        this.slots = new int[n];
        for (int i = 0, j = 0; i < template.length; i++) if (template[i] == '#') slots[j++] = i;
    }

    public String next() {
        char[] out = template.clone();
        for (int slot : slots) out[slot] = charset[nextIndex()];
        return new String(out);
    }

    /** {@code n} distinct codes, sorted (sorted inserts touch each index page once instead of at random). */
    public List<String> distinct(int n) {
        Set<String> set = new HashSet<>(n * 2);
        while (set.size() < n) set.add(next());
        List<String> out = new ArrayList<>(set);
        out.sort(null);
        return out;
    }

    private int nextIndex() {
        while (true) {
            if (position == buffer.length) {
                random.nextBytes(buffer);
                position = 0;
            }
            int b = buffer[position++] & 0xff;
            if (b < acceptBelow) return b % charset.length;
        }
    }
}
