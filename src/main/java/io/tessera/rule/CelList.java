package io.tessera.rule;

import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.CelValue;
import java.util.List;
import java.util.RandomAccess;

/**
 * An immutable list whose elements are already in CEL's runtime form. Like {@link CelMap}: the runtime walks a plain
 * list element by element every time a function hands it back (e.g. {@code context.lists[0]}), but takes a
 * {@link CelValue} as it is, so a variable's list costs nothing however often an expression reads it.
 */
final class CelList extends CelValue implements List<Object>, RandomAccess {
    private static final CelType TYPE = ListType.create(SimpleType.DYN);
    static final CelList EMPTY = new CelList(List.of());

    private final List<Object> elements;
    private final int width;

    /** {@code elements} must hold runtime values only (see {@link CelValues#normalize}) and never change. */
    CelList(List<?> elements) {
        this.elements = List.copyOf(elements);
        int w = this.elements.size();
        for (Object v : this.elements) w = Math.max(w, CelValues.width(v));
        this.width = w;
    }

    /** The most elements of this list or of any list or map in it, however deep (see {@link Shape#steps}). */
    int width() {
        return width;
    }

    /** Itself, not the elements: see {@link CelMap#value()}. */
    @Override
    public Object value() {
        return this;
    }

    @Override
    public boolean isZeroValue() {
        return elements.isEmpty();
    }

    @Override
    public CelType celType() {
        return TYPE;
    }

    // The List methods delegate to the immutable copy.

    @Override
    public int size() {
        return elements.size();
    }

    @Override
    public boolean isEmpty() {
        return elements.isEmpty();
    }

    @Override
    public boolean contains(Object o) {
        return elements.contains(o);
    }

    @Override
    public java.util.Iterator<Object> iterator() {
        return elements.iterator();
    }

    @Override
    public Object[] toArray() {
        return elements.toArray();
    }

    @Override
    public <T> T[] toArray(T[] a) {
        return elements.toArray(a);
    }

    @Override
    public boolean add(Object o) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean remove(Object o) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean containsAll(java.util.Collection<?> c) {
        return elements.containsAll(c);
    }

    @Override
    public boolean addAll(java.util.Collection<?> c) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean addAll(int index, java.util.Collection<?> c) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean removeAll(java.util.Collection<?> c) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean retainAll(java.util.Collection<?> c) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Object get(int index) {
        return elements.get(index);
    }

    @Override
    public Object set(int index, Object element) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void add(int index, Object element) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Object remove(int index) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int indexOf(Object o) {
        return elements.indexOf(o);
    }

    @Override
    public int lastIndexOf(Object o) {
        return elements.lastIndexOf(o);
    }

    @Override
    public java.util.ListIterator<Object> listIterator() {
        return elements.listIterator();
    }

    @Override
    public java.util.ListIterator<Object> listIterator(int index) {
        return elements.listIterator(index);
    }

    @Override
    public List<Object> subList(int fromIndex, int toIndex) {
        return elements.subList(fromIndex, toIndex);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof List<?> l && elements.equals(o instanceof CelList c ? c.elements : l);
    }

    @Override
    public int hashCode() {
        return elements.hashCode();
    }

    @Override
    public String toString() {
        return elements.toString();
    }
}
