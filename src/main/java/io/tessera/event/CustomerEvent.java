package io.tessera.event;

import java.time.Instant;
import java.util.Map;

/** Something a customer did, as {@code POST /v1/events} stores it and the API shows it. */
public record CustomerEvent(String id, String customer, String type, Map<String, Object> properties,
                            Instant createdAt) {
}
