package io.tessera.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a listing: {@code {"data": [...], "nextCursor": "..." | null}}. Every listing pages the same way: the
 * store fetches {@code limit + 1} rows, and the extra row, if any, says that a next page exists.
 */
public record Page<T>(List<T> data, String nextCursor) {

    /** What the caller asked for: at most {@code limit} items after {@code cursor} (null for the first page). */
    public record Request(int limit, String cursor) {
        public static final int DEFAULT_LIMIT = 50;
        public static final int MAX_LIMIT = 1000;

        /** A cursor that holds a number (e.g. a sequence); a cursor this listing did not make is a 422. */
        public long longCursor() {
            try {
                return Long.parseLong(cursor);
            } catch (NumberFormatException e) {
                throw Failure.invalid("cursor", "is not a cursor returned by this list");
            }
        }
    }

    /**
     * The page made of up to {@code limit} of {@code rows} (fetched with {@code limit + 1}), each mapped to an item;
     * the cursor is the key of the last item shown.
     */
    public static <R, T> Page<T> of(List<R> rows, int limit, Function<R, T> item, Function<R, String> key) {
        List<T> data = new ArrayList<>(Math.min(limit, rows.size()));
        for (int i = 0; i < Math.min(limit, rows.size()); i++) data.add(item.apply(rows.get(i)));
        return new Page<>(data, rows.size() > limit ? key.apply(rows.get(limit - 1)) : null);
    }

    public <U> Page<U> map(Function<T, U> f) {
        return new Page<>(data.stream().map(f).toList(), nextCursor);
    }
}
