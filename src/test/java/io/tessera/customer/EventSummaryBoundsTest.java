package io.tessera.customer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.rule.Activation.EventSummary;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code customer.events} summary stays bounded whatever a customer sends. */
class EventSummaryBoundsTest {
    private static final Instant T0 = Instant.parse("2031-01-01T00:00:00Z");

    @Test
    void aNewTypeBeyondTheLimitReplacesTheTypeSeenLeastRecently() {
        Map<String, EventSummary> events = Map.of();
        for (int i = 0; i < CustomerData.MAX_EVENT_TYPES; i++) {
            events = CustomerData.withEvent(events, "t" + i, Map.of(), T0.plusSeconds(i));
        }
        events = CustomerData.withEvent(events, "t0", Map.of(), T0.plusSeconds(500)); // t1 is now the least recent
        events = CustomerData.withEvent(events, "new", Map.of(), T0.plusSeconds(1000));
        assertThat(events).hasSize(CustomerData.MAX_EVENT_TYPES).containsKeys("new", "t0").doesNotContainKey("t1");
    }

    @Test
    void propertiesLongerThanTheBoundAreNotKeptAsLast() {
        Map<String, EventSummary> events = CustomerData.withEvent(Map.of(), "big",
                Map.of("text", "x".repeat(CustomerData.MAX_LAST_CHARS)), T0);
        assertThat(events.get("big").count()).isEqualTo(1);
        assertThat(events.get("big").last()).isEmpty();
    }

    @Test
    void theSummaryReadsBackAsItWasWritten() {
        Map<String, EventSummary> events = CustomerData.withEvent(Map.of(), "car_viewed", Map.of("model", "civic"),
                Instant.parse("2031-01-01T10:00:00.123456Z"));
        assertThat(CustomerData.events(CustomerData.eventsText(events))).isEqualTo(events);
    }
}
