package io.tessera.message;

import io.tessera.core.Failure;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A message template: plain text with {@code {{placeholders}}}. Parsing checks the syntax and that every placeholder
 * is one Tessera knows, so a template can be checked when it is saved (an automation's MESSAGE action) as well as when
 * it renders. There is no escaping: {@code {{} always opens a placeholder, and values are inserted verbatim.
 *
 * <p>Known placeholders: {@code customer.id}, {@code customer.attributes.<key>} (a dotted key reaches into nested
 * objects), {@code customer.orders.count}, {@code customer.orders.total}, {@code customer.loyalty.<program>.balance},
 * {@code customer.loyalty.<program>.tier}, {@code campaigns.<name>.code}, and {@code <variable>.<path>} for the extra
 * variables a caller passes (an automation's trigger data, e.g. {@code order.total}).
 */
public final class Template {
    static final int MAX_LENGTH = 100_000;

    /** A part of the text: literal text, or a placeholder ({@code path}: its dotted path, split). */
    sealed interface Part {
    }

    record Text(String text) implements Part {
    }

    record Placeholder(String source, List<String> path) implements Part {
        String root() {
            return path.getFirst();
        }

        /** The path after {@code from} segments, joined by dots (keys and names may contain dots themselves). */
        String rest(int from, int fromEnd) {
            return String.join(".", path.subList(from, path.size() - fromEnd));
        }
    }

    private final String field;
    private final List<Part> parts;

    private Template(String field, List<Part> parts) {
        this.field = field;
        this.parts = parts;
    }

    /** The input field the template came from (named in errors). */
    String field() {
        return field;
    }

    List<Part> parts() {
        return parts;
    }

    /**
     * Parses {@code text}, the template of input field {@code field}; throws {@link Failure.Invalid} naming the field
     * when a placeholder is unclosed, empty or unknown. {@code variables}: the names of the extra variables the caller
     * will pass when rendering.
     */
    public static Template parse(String field, String text, Set<String> variables) {
        if (text.length() > MAX_LENGTH) throw Failure.invalid(field, "is longer than " + MAX_LENGTH + " characters");
        List<Part> parts = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int open = text.indexOf("{{", at);
            if (open < 0) {
                parts.add(new Text(text.substring(at)));
                break;
            }
            if (open > at) parts.add(new Text(text.substring(at, open)));
            int close = text.indexOf("}}", open + 2);
            if (close < 0) {
                errors.add("has an unclosed placeholder at character " + (open + 1) + ": '{{' needs a closing '}}'");
                break;
            }
            String source = text.substring(open, close + 2);
            String inner = text.substring(open + 2, close).strip();
            List<String> path = List.of(inner.split("\\.", -1));
            String problem = inner.contains("{") ? "contains '{'" : unknown(path, variables);
            if (problem != null) errors.add(source + " " + problem);
            else parts.add(new Placeholder(source, path));
            at = close + 2;
        }
        if (!errors.isEmpty()) throw Failure.invalid(field, String.join("; ", errors));
        return new Template(field, List.copyOf(parts));
    }

    /** Why a placeholder path is not a known one, or null when it is. */
    private static String unknown(List<String> path, Set<String> variables) {
        if (path.stream().anyMatch(String::isBlank)) return "is not a placeholder: empty name";
        String root = path.getFirst();
        int n = path.size();
        boolean known = switch (root) {
            case "customer" -> n == 2 && path.get(1).equals("id")
                    || n >= 3 && path.get(1).equals("attributes")
                    || n == 3 && path.get(1).equals("orders") && Set.of("count", "total").contains(path.get(2))
                    || n >= 4 && path.get(1).equals("loyalty") && Set.of("balance", "tier").contains(path.getLast());
            case "campaigns" -> n >= 3 && path.getLast().equals("code");
            default -> variables.contains(root);
        };
        return known ? null : "is not a known placeholder; use customer.id, customer.attributes.<key>, "
                + "customer.orders.count|total, customer.loyalty.<program>.balance|tier or campaigns.<name>.code"
                + (variables.isEmpty() ? "" : ", or one of " + String.join(", ", variables.stream().sorted().toList()));
    }
}
