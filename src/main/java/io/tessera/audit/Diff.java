package io.tessera.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.core.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What changed between two JSON states, leaf by leaf: each changed value with its path ({@code discount.percent},
 * {@code tiers[1].min}), what it was and what it became. Objects are compared member by member, arrays element by
 * element; a member or element present on one side only is added or removed as a whole.
 */
public final class Diff {
    private Diff() {
    }

    public enum Kind { ADDED, REMOVED, CHANGED }

    /** One change; {@code before}/{@code after} are compact JSON text (null when absent). */
    public record Change(String path, Kind kind, String before, String after) {
    }

    /** The changes from {@code before} to {@code after} (either may be null: the resource did not exist). */
    public static List<Change> of(JsonNode before, JsonNode after) {
        List<Change> out = new ArrayList<>();
        walk("", absent(before) ? null : before, absent(after) ? null : after, out);
        return out;
    }

    private static boolean absent(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode();
    }

    private static void walk(String path, JsonNode before, JsonNode after, List<Change> out) {
        if (before == null && after == null) return;
        if (before != null && after != null && before.equals(after)) return;
        if (before != null && after != null && before.isObject() && after.isObject()) {
            Set<String> names = new LinkedHashSet<>();
            before.fieldNames().forEachRemaining(names::add);
            after.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                walk(join(path, name), member(before, name), member(after, name), out);
            }
            return;
        }
        if (before != null && after != null && before.isArray() && after.isArray()) {
            for (int i = 0; i < Math.max(before.size(), after.size()); i++) {
                walk(path + "[" + i + "]", i < before.size() ? before.get(i) : null,
                        i < after.size() ? after.get(i) : null, out);
            }
            return;
        }
        // An object that appears or goes is shown member by member: a readable list, not a blob.
        JsonNode whole = before == null ? after : after == null ? before : null;
        if (whole != null && whole.isObject()) {
            for (Iterator<String> it = whole.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                walk(join(path, name), before == null ? null : member(before, name),
                        after == null ? null : member(after, name), out);
            }
            return;
        }
        Kind kind = before == null ? Kind.ADDED : after == null ? Kind.REMOVED : Kind.CHANGED;
        out.add(new Change(path.isEmpty() ? "(value)" : path, kind, text(before), text(after)));
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** A member, a JSON null counting as absent (a merge patch removes with null). */
    private static JsonNode member(JsonNode object, String name) {
        JsonNode n = object.get(name);
        return absent(n) ? null : n;
    }

    private static String text(JsonNode n) {
        if (n == null) return null;
        return n.isTextual() ? n.asText() : Json.text(n);
    }
}
