package io.tessera.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a JSON request body field by field, collecting every problem with the JSON path of the field that has it,
 * so that one 422 names all bad fields. Call {@link #check()} before acting on anything read.
 */
public final class Input {
    private final JsonNode node;
    private final String path;
    private final List<FieldError> errors;

    private Input(JsonNode node, String path, List<FieldError> errors) {
        this.node = node;
        this.path = path;
        this.errors = errors;
    }

    /** The body must be a JSON object. */
    public static Input of(JsonNode body) {
        Input in = new Input(body, "", new ArrayList<>());
        if (!body.isObject()) throw Failure.invalid("body", "must be a JSON object");
        return in;
    }

    public String path() {
        return path;
    }

    public JsonNode node() {
        return node;
    }

    public String field(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    public void fail(String name, String message) {
        errors.add(new FieldError(field(name), message));
    }

    /** Adds an error on this node itself. */
    public void failHere(String message) {
        errors.add(new FieldError(path.isEmpty() ? "body" : path, message));
    }

    public boolean has(String name) {
        JsonNode v = node.get(name);
        return v != null && !v.isNull();
    }

    /** Whether the member is sent as JSON {@code null} (which in a PATCH removes a setting). */
    public boolean isNull(String name) {
        JsonNode v = node.get(name);
        return v != null && v.isNull();
    }

    public JsonNode raw(String name) {
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : v;
    }

    /** Unknown members most often are typos ("discout"): refuse them instead of silently ignoring. */
    public Input allow(Set<String> names) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String n = it.next();
            if (!names.contains(n)) fail(n, "unknown field");
        }
        return this;
    }

    public Input object(String name, boolean required) {
        JsonNode v = raw(name);
        if (v == null) {
            if (required) fail(name, "is required");
            return null;
        }
        if (!v.isObject()) {
            fail(name, "must be an object");
            return null;
        }
        return new Input(v, field(name), errors);
    }

    public List<Input> objects(String name, boolean required) {
        JsonNode v = raw(name);
        if (v == null) {
            if (required) fail(name, "is required");
            return List.of();
        }
        if (!v.isArray()) {
            fail(name, "must be an array");
            return List.of();
        }
        List<Input> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            String p = field(name) + "[" + i + "]";
            if (!e.isObject()) errors.add(new FieldError(p, "must be an object"));
            else out.add(new Input(e, p, errors));
        }
        return out;
    }

    public String string(String name, boolean required) {
        JsonNode v = raw(name);
        if (v == null) {
            if (required) fail(name, "is required");
            return null;
        }
        if (!v.isTextual()) {
            fail(name, "must be a string");
            return null;
        }
        return v.textValue();
    }

    /** A string matching {@code pattern} (described by {@code what} in the error). */
    public String string(String name, boolean required, java.util.regex.Pattern pattern, String what) {
        String s = string(name, required);
        if (s != null && !pattern.matcher(s).matches()) {
            fail(name, "must be " + what);
            return null;
        }
        return s;
    }

    public List<String> strings(String name, boolean required) {
        JsonNode v = raw(name);
        if (v == null) {
            if (required) fail(name, "is required");
            return null;
        }
        if (!v.isArray()) {
            fail(name, "must be an array of strings");
            return null;
        }
        List<String> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                errors.add(new FieldError(field(name) + "[" + i + "]", "must be a string"));
            } else {
                out.add(v.get(i).textValue());
            }
        }
        return out;
    }

    public Boolean bool(String name, boolean required) {
        JsonNode v = raw(name);
        if (v == null) {
            if (required) fail(name, "is required");
            return null;
        }
        if (!v.isBoolean()) {
            fail(name, "must be true or false");
            return null;
        }
        return v.booleanValue();
    }

    /** A whole number in [min, max]; decimals, strings and out-of-range values are refused. */
    public Long integer(String name, boolean required, long min, long max) {
        JsonNode v = raw(name);
        if (v == null) {
            if (required) fail(name, "is required");
            return null;
        }
        return integerValue(v, field(name), min, max);
    }

    Long integerValue(JsonNode v, String fieldPath, long min, long max) {
        if (!v.isNumber()) {
            errors.add(new FieldError(fieldPath, "must be a whole number"));
            return null;
        }
        BigDecimal d = v.decimalValue();
        if (d.stripTrailingZeros().scale() > 0) {
            errors.add(new FieldError(fieldPath, "must be a whole number"));
            return null;
        }
        if (d.compareTo(BigDecimal.valueOf(min)) < 0 || d.compareTo(BigDecimal.valueOf(max)) > 0) {
            errors.add(new FieldError(fieldPath, rangeMessage(min, max)));
            return null;
        }
        return d.longValueExact();
    }

    public Map<String, Object> map(String name) {
        JsonNode v = raw(name);
        if (v == null) return null;
        if (!v.isObject()) {
            fail(name, "must be an object");
            return null;
        }
        return Json.toMap(v);
    }

    /** Throws a 422 naming every field found bad so far. */
    public void check() {
        if (!errors.isEmpty()) throw Failure.invalid(List.copyOf(errors));
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    private static String rangeMessage(long min, long max) {
        if (max == Long.MAX_VALUE) return min == 0 ? "must not be negative" : "must be at least " + min;
        return "must be between " + min + " and " + max;
    }
}
