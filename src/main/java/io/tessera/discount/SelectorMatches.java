package io.tessera.discount;

import io.tessera.rule.Activation;
import io.tessera.rule.Selector;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Which cart lines each selector matches, evaluated at most once per selector and line within one evaluation. Keyed
 * by identity: rules compiled from the same source are shared by {@code Rules}, except those reading
 * {@code campaign}, so a cached answer never belongs to another campaign.
 */
final class SelectorMatches {
    private final int lines;
    private final Map<Selector, boolean[]> known = new IdentityHashMap<>();

    SelectorMatches(int lines) {
        this.lines = lines;
    }

    /** One flag per cart line; a null selector matches every line. {@code view} carries the campaign's metadata. */
    boolean[] of(Selector selector, Activation view) {
        boolean[] matches = known.get(selector);
        if (matches == null) {
            matches = new boolean[lines];
            if (selector == null) Arrays.fill(matches, true);
            else for (int i = 0; i < lines; i++) matches[i] = selector.test(view, view.item(i));
            known.put(selector, matches);
        }
        return matches;
    }
}
