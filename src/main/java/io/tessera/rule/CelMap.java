package io.tessera.rule;

import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.CelValue;
import dev.cel.common.values.SelectableValue;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable map whose values are already in CEL's runtime form. The CEL runtime converts a plain Java map deeply
 * every time an expression reads it (the whole order with its items, for {@code order.subtotal}); a {@link CelValue}
 * is taken as it is. So variables are adapted once per evaluation, here, and reads cost a lookup.
 */
final class CelMap extends CelValue implements SelectableValue<Object>, Map<String, Object> {
    private static final CelType TYPE = MapType.create(SimpleType.STRING, SimpleType.DYN);
    static final CelMap EMPTY = new CelMap(Map.of());

    private final Map<String, Object> entries;
    private final int width;

    /** {@code entries} must hold runtime values only (see {@link CelValues#normalize}) and never change. */
    CelMap(Map<String, Object> entries) {
        this.entries = entries;
        int w = entries.size();
        for (Object v : entries.values()) w = Math.max(w, CelValues.width(v));
        this.width = w;
    }

    /** The most elements of this map or of any list or map in it, however deep (see {@link Shape#steps}). */
    int width() {
        return width;
    }

    @Override
    public Object select(Object key) {
        Object value = entries.get(key);
        if (value == null) throw new IllegalArgumentException("key '" + key + "' is not present in map.");
        return value;
    }

    @Override
    public Optional<?> find(Object key) {
        return Optional.ofNullable(entries.get(key));
    }

    /**
     * Itself, not the entries: the runtime "unwraps" the result of every attribute read to this value, and a plain
     * map would be converted deeply again on its next read (e.g. each item of {@code order.items.exists(...)}).
     */
    @Override
    public Object value() {
        return this;
    }

    @Override
    public boolean isZeroValue() {
        return entries.isEmpty();
    }

    @Override
    public CelType celType() {
        return TYPE;
    }

    @Override
    public int size() {
        return entries.size();
    }

    @Override
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    @Override
    public boolean containsKey(Object key) {
        return entries.containsKey(key);
    }

    @Override
    public boolean containsValue(Object value) {
        return entries.containsValue(value);
    }

    @Override
    public Object get(Object key) {
        return entries.get(key);
    }

    @Override
    public Object put(String key, Object value) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Object remove(Object key) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void putAll(Map<? extends String, ?> m) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Set<String> keySet() {
        return entries.keySet();
    }

    @Override
    public Collection<Object> values() {
        return entries.values();
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return entries.entrySet();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Map<?, ?> m && entries.equals(o instanceof CelMap c ? c.entries : m);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
