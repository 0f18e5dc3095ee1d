package io.tessera.customer;

import java.time.Instant;

/** A segment as the API shows it: DYNAMIC (a condition) or STATIC (listed members). */
public record SegmentView(String name, String type, String condition, Instant createdAt) {
    static SegmentView of(SegmentStore.Segment s) {
        return new SegmentView(s.name(), s.dynamic() ? "DYNAMIC" : "STATIC", s.condition(), s.createdAt());
    }
}
